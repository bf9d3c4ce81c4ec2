#!/usr/bin/env python3
"""Usage: check_manpage.py FRAMEPIPE MANPAGE

The man page cannot drift from the program: every option that --help lists has a tag in the
page's OPTIONS, and every tag there is an option --help lists; the same for the keys (--help
prints the key table of app/keys.c) and KEYS, and every script command of --help has a tag in
SCRIPT COMMANDS. The page has the sections a manual needs, names the version --version prints,
and man renders it without a warning.
"""
import os
import re
import subprocess
import sys

SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "KEYS", "SCRIPT COMMANDS",
            "EXIT STATUS", "FILES", "EXAMPLES", "SEE ALSO"]
OPTION = re.compile(r"(?<![\w-])(--?[a-zA-Z][-a-zA-Z0-9]*)")


def help_parts(player):
    """--help as {part: [lines]}: the lines under "options:", "keys:" and "script commands:"."""
    text = subprocess.run([player, "--help"], capture_output=True, text=True, check=True).stdout
    parts, part = {}, None
    for line in text.splitlines():
        if re.fullmatch(r"[a-z ]+:", line):
            part = line[:-1]
            parts[part] = []
        elif part and line.startswith("  "):
            parts[part].append(line)
        else:
            part = None
    return parts


def keys_of(column):
    """'9, 0 (or /, *)' -> ['9', '0', '/', '*']; ',' -> [',']."""
    column = column.replace(" (or ", ", ").rstrip(")")
    return [k for k in column.split(", ") if k]


def roff_text(line):
    """A macro line's text: .B/.BR/.BI/.IR arguments joined, font and escape sequences removed."""
    if line.startswith("."):
        macro, _, rest = line.partition(" ")
        args = re.findall(r'"([^"]*)"|(\S+)', rest)
        # .B and .I join their words with spaces; .BR, .BI and the like alternate fonts without.
        line = (" " if macro in (".B", ".I") else "").join(a or b for a, b in args)
    line = re.sub(r"\\f[BIRP]", "", line)
    line = line.replace("\\-", "-").replace("\\(lq", "").replace("\\(rq", "").replace("\\e", "\\")
    return line.strip()


def man_tags(page):
    """{section: [tag text]}: the line after each .TP."""
    tags, section, after_tp = {}, None, False
    for line in page.splitlines():
        if line.startswith(".SH "):
            section = line[4:].strip().strip('"')
            tags[section] = []
        elif line.startswith(".TP"):
            after_tp = True
        elif after_tp:
            tags[section].append(roff_text(line))
            after_tp = False
    return tags


def main():
    player, manpage = sys.argv[1], sys.argv[2]
    page = open(manpage, encoding="utf-8").read()
    parts = help_parts(player)
    tags = man_tags(page)
    errors = []

    missing = [s for s in SECTIONS if s not in tags]
    if missing:
        errors.append("sections missing: " + ", ".join(missing))
    version = subprocess.run([player, "--version"], capture_output=True, text=True,
                             check=True).stdout.splitlines()[0]
    if not re.search(r'^\.TH FRAMEPIPE 1 \S+ "%s"' % re.escape(version), page, re.M):
        errors.append(".TH does not name '%s'" % version)
    for ref in ("ffplay", "mpv"):
        if not re.search(r"^\.BR %s \(1\)" % ref, page, re.M):
            errors.append("SEE ALSO does not name %s(1)" % ref)

    help_options = {m for line in parts.get("options", []) if re.match(r"  -", line)
                    for m in OPTION.findall(line.split("  ")[1])}
    man_options = {m for tag in tags.get("OPTIONS", []) for m in OPTION.findall(tag)}
    for opt in sorted(help_options - man_options):
        errors.append("option %s of --help is not in the man page's OPTIONS" % opt)
    for opt in sorted(man_options - help_options):
        errors.append("the man page's option %s is not in --help" % opt)

    help_keys = {k for line in parts.get("keys", []) if line[2:19].strip()
                 for k in keys_of(line[2:19].strip())}
    man_keys = {k for tag in tags.get("KEYS", []) for k in keys_of(tag)}
    for key in sorted(help_keys - man_keys):
        errors.append("key %r of the key table is not in the man page's KEYS" % key)
    for key in sorted(man_keys - help_keys):
        errors.append("the man page's key %r is not in the key table" % key)

    help_commands = {w for line in parts.get("script commands", []) if line[2:3].strip()
                     for w in re.findall(r"(?:^|\| )([a-z]+)", line[2:].split("  ")[0])}
    man_commands = {w for tag in tags.get("SCRIPT COMMANDS", [])
                    for w in re.findall(r"(?:^|, ?)([a-z]+)", tag)}
    for cmd in sorted(help_commands - man_commands):
        errors.append("script command %r of --help is not in the man page" % cmd)

    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    man = subprocess.run(["man", "--warnings", "-l", manpage], capture_output=True, text=True,
                         env=env)
    if man.returncode or man.stderr.strip():
        errors.append("man --warnings -l: status %d: %s" % (man.returncode, man.stderr.strip()))

    for e in errors:
        print("FAIL:", e)
    if errors:
        return 1
    print("ok: %d options, %d keys and %d script commands of --help are in %s, which man renders"
          " without warnings" % (len(help_options), len(help_keys), len(help_commands),
                                 os.path.basename(manpage)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
