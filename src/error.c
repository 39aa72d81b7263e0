// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <string.h>
#include "src/error.h"

/* A message is one line: a newline from a file name or libpcap's text would split it. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

static void set(struct pwru_err *e, enum pwru_err_class cls, int errnum, const char *fmt,
		va_list ap)
{
	e->cls = cls;
	e->errnum = errnum;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	one_line(e->msg);
}

int err_set(struct pwru_err *e, enum pwru_err_class cls, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(e, cls, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int err_from_errno(struct pwru_err *e, int rc, const char *fmt, ...)
{
	int errnum = rc < 0 ? -rc : rc;
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	set(e, PWRU_NOT_POSSIBLE, errnum, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", err_str(errnum));
	return -1;
}

void err_prefix(struct pwru_err *e, const char *fmt, ...)
{
	char old[sizeof(e->msg)];
	size_t n;
	va_list ap;

	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", old);
	one_line(e->msg);
}

int err_exit_status(const struct pwru_err *e)
{
	switch (e->cls) {
	case PWRU_BAD_INPUT:
		return 2;
	case PWRU_NOT_POSSIBLE:
		return 1;
	case PWRU_OK:
	case PWRU_STOPPED:
		break;
	}
	return 0;
}

int err_report(const struct pwru_err *e, FILE *out)
{
	if (e->cls != PWRU_OK && e->msg[0])
		fprintf(out, "pwru: %s\n", e->msg);
	return err_exit_status(e);
}

const char *err_str(int errnum)
{
	/* include/linux/errno.h: never meant for userspace, yet bpf() returns some of them */
	static const char *const kernel_only[] = {
	    [512 - 512] = "Restart the system call (ERESTARTSYS)",
	    [513 - 512] = "Restart the system call (ERESTARTNOINTR)",
	    [514 - 512] = "Restart the system call (ERESTARTNOHAND)",
	    [515 - 512] = "No ioctl command (ENOIOCTLCMD)",
	    [516 - 512] = "Restart by calling sys_restart_syscall (ERESTART_RESTARTBLOCK)",
	    [517 - 512] = "Driver requests probe retry (EPROBE_DEFER)",
	    [518 - 512] = "Open found a stale dentry (EOPENSTALE)",
	    [519 - 512] = "No such parameter (ENOPARAM)",
	    [521 - 512] = "Illegal NFS file handle (EBADHANDLE)",
	    [522 - 512] = "Update synchronization mismatch (ENOTSYNC)",
	    [523 - 512] = "Cookie is stale (EBADCOOKIE)",
	    [524 - 512] = "Operation is not supported by the kernel (ENOTSUPP)",
	    [525 - 512] = "Buffer or request is too small (ETOOSMALL)",
	    [526 - 512] = "An untranslatable error occurred (ESERVERFAULT)",
	    [527 - 512] = "Type not supported by server (EBADTYPE)",
	    [528 - 512] = "Request initiated, but will not complete before timeout (EJUKEBOX)",
	    [529 - 512] = "iocb queued, will get completion event (EIOCBQUEUED)",
	    [530 - 512] = "Conflict with recalled state (ERECALLCONFLICT)",
	};
	unsigned int i = (unsigned int)errnum - 512;

	if (i < sizeof(kernel_only) / sizeof(kernel_only[0]) && kernel_only[i])
		return kernel_only[i];
	return strerror(errnum);
}
