/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One failure, the way every stage of pwru reports it: its class decides the exit status
 * (never an errno value), ERRNUM keeps the errno behind it for callers that must tell causes
 * apart (a test skipping on EPERM), MSG is the one line the user reads.
 *
 * A function that can fail for more than one class takes a struct pwru_err and returns -1
 * after filling it through one of the setters below; one that can only fail for lack of
 * something here may return a negative errno, and its caller wraps it with a message.
 */
#ifndef PWRU_ERROR_H
#define PWRU_ERROR_H

#include <stdio.h>

enum pwru_err_class {
	PWRU_OK,	   /* nothing failed */
	PWRU_BAD_INPUT,	   /* what the user gave is wrong, whatever the kernel: exit 2 */
	PWRU_NOT_POSSIBLE, /* a sound request this machine or kernel cannot serve: exit 1 */
	PWRU_STOPPED,	   /* Ctrl-C or SIGTERM before the work was done: exit 0 */
};

struct pwru_err {
	enum pwru_err_class cls;
	int errnum;    /* positive errno, 0 when there is none */
	char msg[512]; /* one line, without the "pwru: " prefix */
};

#define PWRU_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Fills E (the message replaces any earlier one) and returns -1. */
int err_set(struct pwru_err *e, enum pwru_err_class cls, int errnum, const char *fmt, ...)
    PWRU_PRINTF(4, 5);
#define err_bad_input(e, errnum, ...)	 err_set(e, PWRU_BAD_INPUT, errnum, __VA_ARGS__)
#define err_not_possible(e, errnum, ...) err_set(e, PWRU_NOT_POSSIBLE, errnum, __VA_ARGS__)
#define err_stopped(e, ...)		 err_set(e, PWRU_STOPPED, 0, __VA_ARGS__)
/*
 * For a callee's negative errno RC that has no message of its own: not possible here, the
 * message FMT followed by ": " and RC's text. Returns -1.
 */
int err_from_errno(struct pwru_err *e, int rc, const char *fmt, ...) PWRU_PRINTF(3, 4);
/* Puts "PREFIX: " (formatted) in front of E's message, keeping its class and errno. */
void err_prefix(struct pwru_err *e, const char *fmt, ...) PWRU_PRINTF(2, 3);

/*
 * strerror(), but also naming the kernel's internal errnos (512 to 530) that the bpf()
 * syscall lets out and no libc knows, so a user reads "ENOTSUPP" and not "Unknown error 524".
 */
const char *err_str(int errnum);

/* 0, 1 or 2, from E's class. */
int err_exit_status(const struct pwru_err *e);
/* Writes "pwru: MSG" to OUT when E holds a message; returns err_exit_status(E). */
int err_report(const struct pwru_err *e, FILE *out);

#endif
