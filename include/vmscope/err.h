/* SPDX-License-Identifier: GPL-3.0-or-later */
/* err: errors the core returns instead of printing or exiting. */
#ifndef VMSCOPE_ERR_H
#define VMSCOPE_ERR_H

#include <stddef.h>

/* Every fallible core call takes a struct vms_err * (may be NULL) and
 * returns -1 on failure with code (an errno value, or one of the VMS_E*
 * values below) and msg filled in.  msg names the problem and, where there
 * is one, what the person can do about it.  It never ends in a newline. */
struct vms_err {
	int code;
	char msg[768];
};

/* Codes beyond errno for conditions that are not system errors. */
enum {
	VMS_EFORMAT = 10000, /* a file's content is malformed */
	VMS_ENOPROC,          /* the process does not exist (or vanished) */
	VMS_ERANGE_,          /* an address outside the process's mappings */
	VMS_EHIDDEN,          /* data hidden from this user (no CAP_SYS_ADMIN) */
	VMS_EUNSUP,           /* not available on this root/kernel */
};

void err_set(struct vms_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Like err_set but appends ": strerror(code)" for errno codes. */
void err_sys(struct vms_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void err_clear(struct vms_err *e);

#endif
