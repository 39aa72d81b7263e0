# Sourced by tests (local and in the VM): the line pwru writes once at start with
# --output-stack or --output-caller, saying where the running kernel's source lines come
# from or why there are none (src/output/symbols.c). Prints its fixed start.
srcline_note() {
	local rel f
	rel=$(uname -r)
	for f in /usr/lib/debug/boot/vmlinux-"$rel" /usr/lib/debug/lib/modules/"$rel"/vmlinux \
		/lib/modules/"$rel"/build/vmlinux /boot/vmlinux-"$rel"; do
		if [ -r "$f" ]; then
			echo 'pwru: source lines from '
			return
		fi
	done
	echo "pwru: no debug info for $rel (no vmlinux in "
}
