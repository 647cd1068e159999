# bash completion for planconv: commands, each command's options (read from `planconv COMMAND
# --help`, so it never drifts from the binary), mapping names after -m/--mapping (from
# `planconv mappings list`), files and folders elsewhere. Installed by `cmake --install` and the
# .deb as share/bash-completion/completions/planconv.

_planconv_options() {
    # Every long and short option that `planconv $1 [$2] --help` prints.
    "$PLANCONV_COMPLETION_BIN" "$@" --help 2>/dev/null |
        grep -oE '(^|[ [,])--?[a-zA-Z][a-zA-Z0-9-]*' | sed 's/^[ [,]//' | sort -u
}

_planconv() {
    local PLANCONV_COMPLETION_BIN="${COMP_WORDS[0]}"
    local cur="${COMP_WORDS[COMP_CWORD]}"
    local prev=""
    (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"
    local commands="convert validate inspect template mappings watch serve help"
    COMPREPLY=()

    if (( COMP_CWORD == 1 )); then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    local command="${COMP_WORDS[1]}"
    case "$prev" in
        -m|--mapping)
            local names
            names=$("$PLANCONV_COMPLETION_BIN" mappings list 2>/dev/null | awk '{print $1}')
            COMPREPLY=($(compgen -W "$names" -- "$cur") $(compgen -f -X '!*.xml' -- "$cur"))
            return ;;
        --fail-on)
            COMPREPLY=($(compgen -W "error warning never" -- "$cur")); return ;;
        -o|--out|--mappings-dir)
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --report|--from|--previous|--as-of|-j|--jobs|--consolidate)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    if [[ "$command" == "mappings" && COMP_CWORD -eq 2 ]]; then
        COMPREPLY=($(compgen -W "list check xsd" -- "$cur"))
        return
    fi
    if [[ "$command" == "help" && COMP_CWORD -eq 2 ]]; then
        COMPREPLY=($(compgen -W "${commands% help}" -- "$cur"))
        return
    fi
    if [[ "$cur" == -* ]]; then
        local sub=()
        [[ "$command" == "mappings" ]] && sub=("${COMP_WORDS[2]}")
        COMPREPLY=($(compgen -W "$(_planconv_options "$command" "${sub[@]}")" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _planconv planconv
