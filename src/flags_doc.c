// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "src/flags.h"
#include "src/flags_doc.h"
#include "src/probe/backend.h"

#define HELP_MAX 256

/* Text for roff: backslashes doubled as \e, dashes as \-, a leading dot or quote guarded. */
static void roff_text(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

static void man_option(FILE *out, const struct flag_doc *d)
{
	fputs(".TP\n\\fB", out);
	roff_text(out, "--");
	roff_text(out, d->name);
	fputs("\\fR", out);
	if (d->arg && d->optional_arg) {
		/* "[=path]": the brackets and '=' are the syntax, "path" the word */
		fputs("[=\\fI", out);
		fprintf(out, "%.*s", (int)strcspn(d->arg + 2, "]"), d->arg + 2);
		fputs("\\fR]", out);
	} else if (d->arg) {
		fputs(" \\fI", out);
		roff_text(out, d->arg);
		fputs("\\fR", out);
	}
	fputc('\n', out);
	roff_text(out, d->help);
	fputc('\n', out);
}

static void man_options(FILE *out)
{
	char buf[HELP_MAX];
	struct flag_doc d;
	size_t i;

	for (i = 0; i < flags_doc_count(); i++) {
		flags_doc_at(i, &d, buf, sizeof(buf));
		man_option(out, &d);
	}
}

int flags_doc_man(FILE *template, const char *version, FILE *out)
{
	char line[1024], *at;

	while (fgets(line, sizeof(line), template)) {
		if (!strcmp(line, "@OPTIONS@\n")) {
			man_options(out);
			continue;
		}
		for (at = line; (at = strstr(at, "@VERSION@"));) {
			fwrite(line, 1, (size_t)(at - line), out);
			fputs(version, out);
			memmove(line, at + 9, strlen(at + 9) + 1);
			at = line;
		}
		fputs(line, out);
	}
	return ferror(out) ? -1 : 0;
}

static void backend_words(FILE *out)
{
	const struct backend *b;
	size_t i;

	for (i = 0; (b = backend_at(i)); i++)
		fprintf(out, "%s%s", i ? " " : "", b->name);
}

/* The shell words that list what a @kind value may be, for bash. */
static void bash_values(FILE *out, const char *values)
{
	if (!strcmp(values, "@file"))
		fputs("COMPREPLY=($(compgen -f -- \"$cur\"))", out);
	else if (!strcmp(values, "@backend")) {
		fputs("COMPREPLY=($(compgen -W \"", out);
		backend_words(out);
		fputs("\" -- \"$cur\"))", out);
	} else if (!strcmp(values, "@ifname"))
		fputs("COMPREPLY=($(compgen -W \"$(ls /sys/class/net 2>/dev/null)\" -- \"$cur\"))",
		      out);
	else if (!strcmp(values, "@netns"))
		fputs("COMPREPLY=($(compgen -f -- \"${cur:-/run/netns/}\"))", out);
	else if (!strcmp(values, "@module"))
		fputs("_pwru_list \"$(cut -d' ' -f1 /proc/modules 2>/dev/null)\"", out);
	else
		fprintf(out, "COMPREPLY=($(compgen -W \"%s\" -- \"$cur\"))", values);
}

int flags_doc_bash(FILE *out)
{
	char buf[HELP_MAX];
	struct flag_doc d;
	size_t i;

	fputs("# bash completion for pwru, made from its flag table (src/flags_doc.c).\n"
	      "\n"
	      "# Completes the last item of a comma list from the words in $1.\n"
	      "_pwru_list()\n{\n"
	      "\tlocal done=\"\" w\n"
	      "\t[[ $cur == *,* ]] && done=${cur%,*},\n"
	      "\tCOMPREPLY=()\n"
	      "\tfor w in $(compgen -W \"$1\" -- \"${cur##*,}\"); do\n"
	      "\t\tCOMPREPLY+=(\"$done$w\")\n"
	      "\tdone\n"
	      "}\n\n"
	      "_pwru()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} flag=${COMP_WORDS[COMP_CWORD - 1]} eq=\n"
	      "\t# bash splits --flag=value at '=': words --flag, =, value.\n"
	      "\tif [[ $cur == = ]]; then\n"
	      "\t\tcur=\"\" eq=1\n"
	      "\telif [[ $flag == = ]]; then\n"
	      "\t\tflag=${COMP_WORDS[COMP_CWORD - 2]} eq=1\n"
	      "\tfi\n"
	      "\tcase $flag in\n",
	      out);
	for (i = 0; i < flags_doc_count(); i++) {
		flags_doc_at(i, &d, buf, sizeof(buf));
		if (!d.arg)
			continue;
		const char *in = d.optional_arg ? "\t\t\t" : "\t\t";

		fprintf(out, "\t--%s)\n", d.name);
		/* an optional value only comes as --flag=VALUE: a next word is the next flag */
		if (d.optional_arg)
			fputs("\t\tif [[ -n $eq ]]; then\n", out);
		fputs(in, out);
		if (d.values)
			bash_values(out, d.values);
		else
			fputs("COMPREPLY=()", out);
		fprintf(out, "\n%sreturn\n", in);
		if (d.optional_arg)
			fputs("\t\tfi\n", out);
		fputs("\t\t;;\n", out);
	}
	fputs("\tesac\n"
	      "\tif [[ $cur == -* ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"",
	      out);
	for (i = 0; i < flags_doc_count(); i++) {
		flags_doc_at(i, &d, buf, sizeof(buf));
		fprintf(out, "%s--%s", i ? " " : "", d.name);
	}
	fputs("\" -- \"$cur\"))\n"
	      "\tfi\n"
	      "}\n\n"
	      "complete -F _pwru pwru\n",
	      out);
	return ferror(out) ? -1 : 0;
}

/* zsh's _arguments wants ':' and ']' in descriptions quoted, and the spec in '...'. */
static void zsh_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", out);
		else if (*s == ':' || *s == '[' || *s == ']' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else
			fputc(*s, out);
	}
}

static void zsh_action(FILE *out, const char *values)
{
	if (!strcmp(values, "@file"))
		fputs("_files", out);
	else if (!strcmp(values, "@backend")) {
		fputs("(", out);
		backend_words(out);
		fputs(")", out);
	} else if (!strcmp(values, "@ifname"))
		fputs("_net_interfaces", out);
	else if (!strcmp(values, "@netns"))
		fputs("_files -W /run/netns", out);
	else if (!strcmp(values, "@module"))
		fputs("_sequence compadd - ${${(f)\"$(</proc/modules)\"}%% *}", out);
	else
		fprintf(out, "(%s)", values);
}

int flags_doc_zsh(FILE *out)
{
	char buf[HELP_MAX];
	struct flag_doc d;
	size_t i;

	fputs("#compdef pwru\n"
	      "# zsh completion for pwru, made from its flag table (src/flags_doc.c).\n\n"
	      "_arguments -S \\\n",
	      out);
	for (i = 0; i < flags_doc_count(); i++) {
		flags_doc_at(i, &d, buf, sizeof(buf));
		fprintf(out, "\t'--%s%s[", d.name, d.arg ? (d.optional_arg ? "=-" : "=") : "");
		zsh_text(out, d.help);
		fputs("]", out);
		if (d.arg) {
			/* "::" marks the value of --flag[=path] as optional */
			fputs(d.optional_arg ? "::" : ":", out);
			zsh_text(out, d.optional_arg ? "path" : d.arg);
			fputs(":", out);
			if (d.values)
				zsh_action(out, d.values);
			else
				fputs(" ", out);
		}
		fputs("' \\\n", out);
	}
	fputs("\t'*:pcap-filter expression: '\n", out);
	return ferror(out) ? -1 : 0;
}
