# Sourced by make-refs.sh and make-packet-refs.sh: which files of assets/ are media, and which
# video track is the picture a person expects, so that both references describe the same one.

# media_assets DIR: the media files in DIR, one path a line (not scripts, notes or hidden files).
media_assets() {
    local f name
    for f in "$1"/*; do
        name=$(basename "$f")
        [[ -f "$f" ]] || continue
        case "$name" in
            .* | *.sh | *.md | *.txt) continue ;;
        esac
        echo "$f"
    done
}

# picture_track NAME: the index among the video tracks (0:v:N) of the picture framepipe shows.
# In *alpha_first* the first video track is an alpha plane.
picture_track() {
    [[ "$1" == *alpha_first* ]] && echo 1 || echo 0
}
