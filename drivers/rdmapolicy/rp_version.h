/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RP_VERSION_H
#define _RP_VERSION_H

#define RP_VERSION "0.1.0"

#endif
