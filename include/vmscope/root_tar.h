/* SPDX-License-Identifier: GPL-3.0-or-later */
/* root_tar: the tar backend of the root (root.h): a snapshot .tar read in
 * place.  The archive is indexed once (tarfmt); members are read with
 * preads on it, sparse maps honoured; nothing is extracted. */
#ifndef VMSCOPE_ROOT_TAR_H
#define VMSCOPE_ROOT_TAR_H

#include "vmscope/err.h"
#include "vmscope/root.h"

/* Open the archive at path as r's backend: a regular file only (opened
 * without blocking, so a FIFO cannot hang us), indexed whole; sets
 * r->ops, r->ctx and r->path, leaves r->live false.  The conf is the
 * caller's to read (root_load_conf).  Messages name "ARCHIVE:MEMBER".
 * 0, or -1 with e set and r untouched. */
int root_tar_open(struct vms_root *r, const char *path, struct vms_err *e);

#endif
