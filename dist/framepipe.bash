# bash completion for framepipe: options, their values, and file names.
# Installed as share/bash-completion/completions/framepipe, loaded on first use.

_framepipe()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
    local options="--headless --realtime --paused --start --start-frame --keep-open --loop --screenshot-osd
        --ab-loop-a --ab-loop-b --ab-loop-count --step-history-mb --no-autorotate --script --framemd5 --frame-info --trace-ownership
        --trace-html --stats -an --no-audio --vid --aid --volume --sync --audio-md5 --max-pixels
        --max-packets --decoder-threads --loglevel -h --help -V --version"

    COMPREPLY=()
    case $prev in
    --vid | --aid)
        COMPREPLY=($(compgen -W "no auto 1 2 3 4" -- "$cur"))
        return
        ;;
    --sync)
        COMPREPLY=($(compgen -W "audio video" -- "$cur"))
        return
        ;;
    --loglevel)
        COMPREPLY=($(compgen -W "quiet panic fatal error warning info verbose debug trace" \
            -- "$cur"))
        return
        ;;
    --start | --start-frame | --step-history-mb | --volume | --max-pixels | --max-packets | \
        --ab-loop-a | --ab-loop-b | --ab-loop-count | --decoder-threads)
        return # a number
        ;;
    --script | --frame-info | --trace-ownership | --trace-html) ;; # a file name, below
    *)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$options" -- "$cur"))
            return
        fi
        ;;
    esac
    if declare -F _filedir >/dev/null; then
        _filedir
    else
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -F _framepipe framepipe
