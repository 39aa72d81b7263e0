// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include "src/discover/btf_check.h"
#include "src/discover/kbtf.h"
#include "src/probe/memlock.h"

/*
 * The memory cgroup took over the charge in 5.11, with bpf_ktime_get_coarse_ns() in the
 * same release: libbpf tells the kernels apart by that helper too.
 */
static bool kernel_charges_memlock(void)
{
	struct btf *btf = kbtf_get();

	return btf && !btf_enum_has(btf, "bpf_func_id", "BPF_FUNC_ktime_get_coarse_ns");
}

bool memlock_refused(int rc)
{
	struct rlimit r;

	return rc == -EPERM && !getrlimit(RLIMIT_MEMLOCK, &r) && r.rlim_cur != RLIM_INFINITY &&
	       kernel_charges_memlock();
}

void memlock_explain(const char *what, char *err, size_t errlen)
{
	struct rlimit r = {0};

	getrlimit(RLIMIT_MEMLOCK, &r);
	snprintf(err, errlen,
		 "%s failed: the locked-memory limit (ulimit -l) is %llu KiB, this kernel (before "
		 "5.11) charges BPF maps to it, and pwru may not raise it (no CAP_SYS_RESOURCE): "
		 "run pwru with ulimit -l unlimited (docker run --ulimit memlock=-1)",
		 what, (unsigned long long)r.rlim_cur >> 10);
}
