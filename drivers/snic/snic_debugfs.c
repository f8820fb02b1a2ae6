// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs control of the emulated SmartNIC, in the way of netdevsim:
 *
 *   /sys/kernel/debug/rdmapolicy_snic/ports
 *	read:  one line per bound port and direction with its counters
 *	write: "bind <ifname>" or "unbind <ifname>"
 *   /sys/kernel/debug/rdmapolicy_snic/fail_install (snic_flow.c)
 *	fault injection: how many of the next installs fail with -ENOMEM
 *   /sys/kernel/debug/rdmapolicy_snic/conns (snic_flow.c)
 *	installed connections
 *
 * This is a test and bring-up interface; operators bind ports through the
 * rdmapolicy core once VMs are configured.  A port bound here is of tenant
 * 0 until the core binds it for its VM (which gives it the VM's tenant).
 */
#include <linux/debugfs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "snic.h"

static struct dentry *rp_snic_dir;

static int rp_snic_ports_show(struct seq_file *m, void *v)
{
	rp_snic_show_ports(m);
	return 0;
}

static int rp_snic_ports_open(struct inode *inode, struct file *file)
{
	return single_open(file, rp_snic_ports_show, NULL);
}

static ssize_t rp_snic_ports_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	char buf[8 + IFNAMSIZ + 2], *name, *cmd;
	struct net_device *dev;
	int err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	name = strim(buf);
	cmd = strsep(&name, " ");
	if (!name || !*name || strlen(name) >= IFNAMSIZ)
		return -EINVAL;

	rtnl_lock();
	dev = __dev_get_by_name(current->nsproxy->net_ns, name);
	if (!dev)
		err = -ENODEV;
	else if (!strcmp(cmd, "bind"))
		err = rp_snic_bind(dev, 0, false);
	else if (!strcmp(cmd, "unbind"))
		err = rp_snic_unbind(dev);
	else
		err = -EINVAL;
	rtnl_unlock();
	return err ? err : count;
}

static const struct file_operations rp_snic_ports_fops = {
	.owner = THIS_MODULE,
	.open = rp_snic_ports_open,
	.read = seq_read,
	.write = rp_snic_ports_write,
	.llseek = seq_lseek,
	.release = single_release,
};

int rp_snic_debugfs_init(void)
{
	rp_snic_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("ports", 0600, rp_snic_dir, NULL,
			    &rp_snic_ports_fops);
	/* each job's knobs are with the op they break (as netdevsim's) */
	rp_snic_flow_debugfs_init(rp_snic_dir);
	return 0;
}

void rp_snic_debugfs_exit(void)
{
	debugfs_remove_recursive(rp_snic_dir);
}
