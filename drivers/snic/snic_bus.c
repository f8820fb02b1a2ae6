// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated NIC as a device on a bus of its own (as netdevsim's), so
 * that it can be unbound from its driver and bound again while the module
 * stays loaded, as an operator unbinds a PCI NIC:
 *
 *   echo snic0 > /sys/bus/rdmapolicy_snic/drivers/rdmapolicy_snic/unbind
 *   echo snic0 > /sys/bus/rdmapolicy_snic/drivers/rdmapolicy_snic/bind
 *
 * Probe brings the NIC up (rp_snic_up(): its tables, the netdev notifier,
 * debugfs, and last its registration with the core, which binds the VM
 * ports and installs the tracked connections); remove takes it down in
 * the reverse order (rp_snic_down()).  There is one device, snic0, made
 * at module load: the NIC's state is the module's, not per device.
 *
 * Locking: the driver core serializes probe and remove of the device
 * (its device_lock); nothing of ours takes that lock, so it nests
 * outside rtnl and the core's rp_nic_mutex.
 */
#include <linux/device.h>
#include <linux/slab.h>

#include "snic.h"

#define RP_SNIC_BUS	"rdmapolicy_snic"

/* the last probe's result, for module load to fail with it */
static int rp_snic_probe_err;
/* the one device; set at load, cleared at unload (module init/exit only) */
static struct device *rp_snic_dev;

static int rp_snic_bus_match(struct device *dev,
			     rp_bus_match_const struct device_driver *drv)
{
	return 1;		/* one driver on the bus: it drives every device */
}

static struct bus_type rp_snic_bus = {
	.name	= RP_SNIC_BUS,
	.match	= rp_snic_bus_match,
};

static int rp_snic_probe(struct device *dev)
{
	rp_snic_probe_err = rp_snic_up();
	return rp_snic_probe_err;
}

static int rp_snic_remove(struct device *dev)
{
	rp_snic_down();
	return 0;
}

static struct device_driver rp_snic_driver = {
	.name	= RP_SNIC_BUS,
	.bus	= &rp_snic_bus,
	.owner	= THIS_MODULE,
	.probe	= rp_snic_probe,
	.remove	= rp_snic_remove,
};

static void rp_snic_dev_release(struct device *dev)
{
	kfree(dev);
}

/* The device is bound (probed) before this returns. */
int rp_snic_bus_init(void)
{
	struct device *dev;
	int err;

	err = bus_register(&rp_snic_bus);
	if (err)
		return err;
	err = driver_register(&rp_snic_driver);
	if (err)
		goto err_bus;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	err = -ENOMEM;
	if (!dev)
		goto err_driver;
	dev->bus = &rp_snic_bus;
	dev->release = rp_snic_dev_release;
	dev_set_name(dev, "snic0");
	rp_snic_probe_err = -ENODEV;
	err = device_register(dev);
	if (err) {
		put_device(dev);
		goto err_driver;
	}
	/* a failed probe leaves the device registered but without a driver */
	err = rp_snic_probe_err;
	if (err) {
		device_unregister(dev);
		goto err_driver;
	}
	rp_snic_dev = dev;
	return 0;

err_driver:
	driver_unregister(&rp_snic_driver);
err_bus:
	bus_unregister(&rp_snic_bus);
	return err;
}

/* Removes the device, which takes the NIC down if it is bound. */
void rp_snic_bus_exit(void)
{
	device_unregister(rp_snic_dev);
	rp_snic_dev = NULL;
	driver_unregister(&rp_snic_driver);
	bus_unregister(&rp_snic_bus);
}
