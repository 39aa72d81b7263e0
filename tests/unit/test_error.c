// SPDX-License-Identifier: GPL-2.0
/* The error model: class -> exit status, errno kept apart from it, one line to print. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "src/error.h"

/* What err_report() prints for E, and its return value in *STATUS. */
static const char *reported(const struct pwru_err *e, int *status)
{
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	*status = err_report(e, f);
	fclose(f);
	return buf;
}

static void test_classes(void)
{
	struct pwru_err e = {0};
	int status;

	is_int(err_exit_status(&e), 0, "nothing failed: exit 0");
	is_str(reported(&e, &status), "", "and nothing printed");
	is_int(err_bad_input(&e, EINVAL, "--flag wants %s, not '%s'", "N", "x"), -1,
	       "setters return -1");
	is_int(err_exit_status(&e), 2, "bad input: exit 2");
	is_int(e.errnum, EINVAL, "errno kept");
	is_str(reported(&e, &status), "pwru: --flag wants N, not 'x'\n", "one prefixed line");
	is_int(status, 2, "err_report returns the status");
	err_not_possible(&e, EPERM, "must run as root");
	is_int(err_exit_status(&e), 1, "not possible here: exit 1");
	is_int(e.errnum, EPERM, "its errno");
	/* EINVAL from deep inside is no longer a bad flag: the class says, not the errno */
	err_not_possible(&e, EINVAL, "the kernel refused");
	is_int(err_exit_status(&e), 1, "EINVAL in a not-possible error still exits 1");
	err_stopped(&e, "interrupted while attaching; everything detached");
	is_int(err_exit_status(&e), 0, "stopped by a signal: exit 0");
	is_str(reported(&e, &status), "pwru: interrupted while attaching; everything detached\n",
	       "but says so");
}

static void test_helpers(void)
{
	struct pwru_err e = {0};

	err_from_errno(&e, -ENOMEM, "reading %s", "module BTF");
	is_str(e.msg, "reading module BTF: Cannot allocate memory", "errno text appended");
	is_int(e.errnum, ENOMEM, "a negative errno is stored positive");
	is_int(err_exit_status(&e), 1, "and is not possible here");
	err_bad_input(&e, ENOENT, "not a loaded module");
	err_prefix(&e, "--kmods %s", "x");
	is_str(e.msg, "--kmods x: not a loaded module", "prefix in front");
	ok(e.cls == PWRU_BAD_INPUT && e.errnum == ENOENT, "class and errno kept by the prefix");
	err_bad_input(&e, 0, "bad file name 'a\nb'\r");
	ok(!strchr(e.msg, '\n') && !strchr(e.msg, '\r'), "a message stays one line: '%s'", e.msg);
	err_prefix(&e, "x\ny");
	ok(!strchr(e.msg, '\n'), "prefixes too");
}

static void test_long(void)
{
	struct pwru_err e = {0};
	char big[2000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	err_bad_input(&e, 0, "%s", big);
	is_int(strlen(e.msg), sizeof(e.msg) - 1, "a long message is cut, not overflowed");
	err_prefix(&e, "%s", big);
	is_int(strlen(e.msg), sizeof(e.msg) - 1, "a long prefix too");
	err_from_errno(&e, -EIO, "%s", big);
	is_int(strlen(e.msg), sizeof(e.msg) - 1, "and a long errno message");
}

static void test_kernel_errnos(void)
{
	struct pwru_err e = {0};
	char libc[64];

	ok(strstr(err_str(524), "ENOTSUPP") != NULL, "524 is named ENOTSUPP: '%s'", err_str(524));
	ok(strstr(err_str(517), "EPROBE_DEFER") != NULL, "517 too: '%s'", err_str(517));
	ok(!strcmp(err_str(ENOENT), strerror(ENOENT)), "libc's errnos are libc's text");
	/* libc's text for an unknown errno lives until its next call: keep a copy */
	snprintf(libc, sizeof(libc), "%s", strerror(520));
	ok(!strcmp(err_str(520), libc), "a hole in the kernel's list is libc's text");
	snprintf(libc, sizeof(libc), "%s", strerror(-1));
	ok(!strcmp(err_str(-1), libc), "out of range is libc's text");
	err_from_errno(&e, -524, "attaching");
	ok(strstr(e.msg, "ENOTSUPP") != NULL, "errno messages use the name: '%s'", e.msg);
}

int main(void)
{
	test_classes();
	test_helpers();
	test_long();
	test_kernel_errnos();
	return tap_done();
}
