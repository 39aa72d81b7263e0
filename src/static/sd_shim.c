// SPDX-License-Identifier: GPL-2.0
/*
 * Linked only into the static binary. Debian's libdbus-1.a (pulled in by libpcap.a's
 * D-Bus capture module, which pwru never opens) wants two libsystemd socket-activation
 * calls, and Debian ships no libsystemd.a. Saying "no sockets were passed" is what
 * libsystemd itself answers outside socket activation.
 */
#include <errno.h>

int sd_listen_fds(int unset_environment);
int sd_is_socket(int fd, int family, int type, int listening);

int sd_listen_fds(int unset_environment)
{
	return 0;
}

int sd_is_socket(int fd, int family, int type, int listening)
{
	return -ENOSYS;
}
