#!/usr/bin/env bash
# Usage: check_awkward.sh FRAMEPIPE ASSETS_DIR REFS_DIR
# Streams and headers that are legal, or nearly, but awkward. What each must do:
#   - a header claiming a huge picture (Y4M, PNG): exit 1 with one line naming the size, also
#     where only libavutil's log knows it (60000x60000), and the
#     process never holds the picture (peak resident memory bounded);
#   - a video codec with no decoder: exit 1 with one line naming the codec;
#   - an empty raw stream: exit 1 with one line; a one-frame file plays, windowed too;
#   - size and pixel-format changes through the window (offscreen SDL): bit-exact framemd5;
#   - timestamps that jump back 11 s and forward 5 s: paced playback of its 3 s ends in time,
#     where waiting out the gap would take 8 s.
# The bit-exact checks of the headless output are the framemd5_* tests.
set -uo pipefail
player=$1 assets=$2 refs=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }
data_columns() { grep -v '^#' "$1" | awk -F', *' '{print $5, $6}'; }
# framepipe's own lines on stderr, without libav's ('[png @ 0x...] ...') and --stats'.
own_lines() { grep -v -e '^\[' -e '^stats:' "$dir/err"; }

# run_measured LIMIT ARGS...: runs the player; sets status and peak_kib (peak resident memory).
run_measured() {
    local limit=$1
    shift
    read -r status peak_kib < <(python3 - "$limit" "$dir/out" "$dir/err" "$@" <<'EOF'
import resource, subprocess, sys
limit, out, err, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
with open(out, 'wb') as o, open(err, 'wb') as e:
    try:
        status = subprocess.run(cmd, stdout=o, stderr=e, timeout=limit).returncode
    except subprocess.TimeoutExpired:
        status = 124
print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
EOF
    )
}

# 1. Huge pictures. 16000x16000 passes libavutil's own size check (a 768 MB RGB picture, a
#    384 MB 4:2:0 one); 60000x60000 does not.
python3 - "$dir" <<'EOF'
import struct, sys, zlib
out = sys.argv[1]
def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
def png(name, w, h):
    rows = zlib.compress(b'\0' * (1 + 3 * w) * 8)
    with open(f'{out}/{name}', 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                + chunk(b'IDAT', rows) + chunk(b'IEND', b''))
def y4m(name, w, h):
    with open(f'{out}/{name}', 'wb') as f:
        f.write(b'YUV4MPEG2 W%d H%d F25:1 Ip A1:1 C420jpeg\nFRAME\n' % (w, h) + b'\x10' * 65536)
png('huge16000.png', 16000, 16000)
png('huge60000.png', 60000, 60000)
y4m('huge16000.y4m', 16000, 16000)
y4m('huge60000.y4m', 60000, 60000)
EOF
limit_kib=$((400 * 1024))
# Past libavutil's own bound (60000x60000) only its log says which size it refused; the
# error must still name it, with the default limit and with the bound left to libavcodec.
for run in huge16000.png huge16000.y4m huge60000.png huge60000.y4m \
    huge60000.png:0 huge60000.y4m:0; do
    name=${run%:*}
    size=${name%.*}
    size=${size//[!0-9]/}
    if [ "$run" != "$name" ]; then
        run_measured 60 "$player" --headless --max-pixels 0 "$dir/$name"
        want="picture size ${size}x${size} is too large for libavutil"
    else
        run_measured 60 "$player" --headless "$dir/$name"
        want="picture size ${size}x${size} is over the limit of 67108864 pixels"
    fi
    line=$(own_lines)
    if [ "$status" -ne 1 ] || [ "$(printf '%s\n' "$line" | wc -l)" -ne 1 ] ||
        [[ "$line" != "framepipe: $dir/$name: "* ]] || [ "$peak_kib" -gt "$limit_kib" ]; then
        fail "$run: exit $status, peak $((peak_kib / 1024)) MiB (limit $((limit_kib / 1024))); stderr:"
        sed 's/^/    /' "$dir/err"
    elif [[ "$line" != *"$want" ]]; then
        fail "$run: the error does not name the size: $line"
    else
        ok "$run: exit 1, peak $((peak_kib / 1024)) MiB: ${line#framepipe: "$dir"/}"
    fi
done

# 2. No decoder: the MPEG-TS asset with its video stream_type rewritten to AVS2 (0xd2), which
#    FFmpeg 5.1 demuxes but cannot decode.
python3 - "$assets/mpeg2_mp2_framenum_320x240_25fps.ts" "$dir/avs2.ts" <<'EOF'
import sys
def crc32_mpeg2(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7 if crc & 0x80000000 else crc << 1) & 0xFFFFFFFF
    return crc
ts = bytearray(open(sys.argv[1], 'rb').read())
pmt_pids, patched = set(), 0
for at in range(0, len(ts) - 187, 188):
    pid = ((ts[at + 1] & 0x1F) << 8) | ts[at + 2]
    if not ts[at + 1] & 0x40:                    # no section starts in this packet
        continue
    start = at + 4 + (1 + ts[at + 4] if ts[at + 3] & 0x20 else 0)
    section = start + 1 + ts[start]              # after the pointer field
    length = ((ts[section + 1] & 0x0F) << 8) | ts[section + 2]
    end = section + 3 + length - 4               # the CRC's offset
    if pid == 0 and ts[section] == 0:            # PAT: note the PMT PIDs
        for entry in range(section + 8, end, 4):
            if (ts[entry] << 8) | ts[entry + 1]:
                pmt_pids.add(((ts[entry + 2] & 0x1F) << 8) | ts[entry + 3])
    elif pid in pmt_pids and ts[section] == 2:   # PMT: MPEG-2 video (0x02) becomes AVS2
        entry = section + 12 + (((ts[section + 10] & 0x0F) << 8) | ts[section + 11])
        while entry < end:
            if ts[entry] == 0x02:
                ts[entry] = 0xD2
                patched += 1
            entry += 5 + (((ts[entry + 3] & 0x0F) << 8) | ts[entry + 4])
        ts[end:end + 4] = crc32_mpeg2(bytes(ts[section:end])).to_bytes(4, 'big')
assert patched, 'no PMT found'
open(sys.argv[2], 'wb').write(ts)
EOF
run_measured 30 "$player" --headless "$dir/avs2.ts"
line=$(own_lines)
if [ "$status" -ne 1 ] || [ "$line" != "framepipe: $dir/avs2.ts: no decoder for the video codec 'avs2'" ]; then
    fail "no decoder: exit $status; stderr:"
    sed 's/^/    /' "$dir/err"
else
    ok "no decoder: exit 1: ${line#framepipe: "$dir"/}"
fi

# 3. Zero-length raw stream: one line, exit 1. One frame: plays headless and stays on screen in
#    a window until the script quits.
: >"$dir/empty.h264"
run_measured 30 "$player" --headless "$dir/empty.h264"
line=$(own_lines)
if [ "$status" -ne 1 ] || [ "$(printf '%s\n' "$line" | wc -l)" -ne 1 ] ||
    [[ "$line" != "framepipe: $dir/empty.h264: "* ]]; then
    fail "empty raw stream: exit $status; stderr:"
    sed 's/^/    /' "$dir/err"
else
    ok "empty raw stream: exit 1: ${line#framepipe: "$dir"/}"
fi
one=h264_oneframe_320x240.mp4
printf 'md5\nstep\nback\nmd5\nseek 1\nmd5\nquit\n' >"$dir/one.fpscript"
run_measured 60 "$player" --script "$dir/one.fpscript" "$assets/$one"
want=$(data_columns "$refs/$one.framemd5" | awk '{print $2}')
got=$(sed -n 's/^frame time=.* md5=//p' "$dir/out" | sort -u)
if [ "$status" -ne 0 ] || [ "$got" != "$want" ] || [ "$(grep -c '^frame' "$dir/out")" -ne 3 ]; then
    fail "one frame, windowed: exit $status, md5s '$got', expected '$want' three times"
else
    ok "one frame, windowed: shown, stepped and seeked on, exit 0"
fi

# 4. Size and pixel format change, through the window.
media=h264_sizechange_fmtchange.h264
run_measured 60 "$player" --framemd5 "$assets/$media"
if [ "$status" -ne 0 ] ||
    ! diff -q <(data_columns "$refs/$media.framemd5") <(data_columns "$dir/out") >/dev/null; then
    fail "$media windowed: exit $status, or framemd5 differs"
else
    ok "$media windowed: $(data_columns "$dir/out" | wc -l) frames bit-exact across both changes"
fi

# 5. Timestamps that jump: 75 frames, 3 s of pictures, paced.
media=mpeg2_tsjumps_320x240_25fps.ts
# Milliseconds in bash's own arithmetic, so that no missing tool can turn the check into a pass.
start_us=${EPOCHREALTIME/[.,]/}
run_measured 30 "$player" --headless --realtime --stats "$assets/$media"
took_ms=$(( (${EPOCHREALTIME/[.,]/} - start_us) / 1000 ))
shown=$(sed -n 's/^stats: .*displayed=\([0-9]*\).*/\1/p' "$dir/err")
if [ "$status" -ne 0 ] || [ "$shown" != 75 ] || [ "$took_ms" -gt 6500 ]; then
    fail "$media paced: exit $status, $shown frames shown in $took_ms ms; a 3 s clip must end within 6.5 s"
else
    ok "$media paced: 75 frames in $took_ms ms"
fi

[ "$failures" -eq 0 ] && echo "all awkward-stream cases passed" && exit 0
echo "$failures awkward-stream case(s) failed"
exit 1
