/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "vmscope/err.h"

static void err_vset(struct vms_err *e, int code, const char *fmt, va_list ap)
{
	e->code = code;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

void err_set(struct vms_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	err_vset(e, code, fmt, ap);
	va_end(ap);
}

void err_sys(struct vms_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (!e)
		return;
	va_start(ap, fmt);
	err_vset(e, code, fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	if (code > 0 && code < VMS_EFORMAT && len < sizeof e->msg)
		snprintf(e->msg + len, sizeof e->msg - len, ": %s",
			 strerror(code));
}

void err_clear(struct vms_err *e)
{
	if (!e)
		return;
	e->code = 0;
	e->msg[0] = '\0';
}
