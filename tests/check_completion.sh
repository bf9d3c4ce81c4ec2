#!/usr/bin/env bash
# Usage: check_completion.sh COMPLETION FRAMEPIPE
# Sources the bash completion in a clean bash, alone and again after bash-completion's own
# library, and calls _framepipe as bash would (COMP_WORDS, COMP_CWORD): an option, every
# option --help lists and no other, the values of --sync, --vid and --loglevel, and a file name.
set -u
completion=$1 player=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
touch "$dir/clip.mp4"
status=0
fail() { echo "FAIL: $*"; status=1; }

# complete [LIBRARY] WORD... : the words of COMPREPLY for a command line whose last word is
# being completed, one a line, sorted.
complete_words() {
    local library=$1
    shift
    bash --norc --noprofile -c '
        [ -z "$1" ] || . "$1"
        . "$2"
        shift 2
        COMP_WORDS=(framepipe "$@")
        COMP_CWORD=$#
        COMP_LINE="framepipe $*"
        COMP_POINT=${#COMP_LINE}
        _framepipe framepipe "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}"' bash "$library" "$completion" "$@" | sort
}

expect() { # expect WANT LIBRARY WORD...
    local want=$1 got
    shift
    got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
    [ "$got" = "$want" ] || fail "framepipe ${*:2}<TAB>: '$got', not '$want'"
}

libraries=("")
[ -f /usr/share/bash-completion/bash_completion ] &&
    libraries+=(/usr/share/bash-completion/bash_completion)
help_options=$("$player" --help | sed -n '/^options:/,/^$/p' | grep -E '^  -' |
    sed 's/^  //; s/  .*//; s/ [A-Z][A-Z.|a-z]*$//' | grep -oE -- '--?[a-zA-Z][-a-zA-Z0-9]*' | sort)
for library in "${libraries[@]}"; do
    expect "--headless" "$library" --hea
    expect "audio video" "$library" --sync ""
    expect "warning" "$library" --loglevel w
    expect "1 2 3 4 auto no" "$library" --vid ""
    expect "no" "$library" --aid n
    expect "$dir/clip.mp4" "$library" --headless "$dir/cl"
    expect "$dir/clip.mp4" "$library" --script "$dir/c"
    all=$(complete_words "$library" -)
    [ "$all" = "$help_options" ] ||
        fail "options completed differ from --help's (< completed, > --help):
$(diff <(echo "$all") <(echo "$help_options"))"
done
[ $status -eq 0 ] && echo "ok: bash completes options ($(echo "$help_options" | wc -l), as --help lists them), their values and file names, with and without bash-completion"
exit $status
