#!/usr/bin/env bash
# Usage: make-seeds.sh DIR
# Writes into DIR one tiny clip (64x48, 6 frames, and 0.25 s of sound where the container takes
# sound) for each container, and codec inside it, that this machine's ffmpeg CLI can write:
# seeds for the long fuzzing runs (tests/fuzz/long.sh), so that the fuzzers start from every
# demuxer's real layout rather than only from the assets'. A format that this ffmpeg cannot
# write is skipped and named. Needs the ffmpeg CLI; CI does not run this.
set -uo pipefail
dir=${1:?usage: make-seeds.sh DIR}
mkdir -p "$dir"
command -v ffmpeg >/dev/null || { echo "make-seeds.sh: the ffmpeg CLI is needed" >&2; exit 1; }

video=(-f lavfi -i testsrc2=size=64x48:rate=12:duration=0.5)
sound=(-f lavfi -i sine=frequency=440:sample_rate=8000:duration=0.25)
made=0
skipped=()

# seed NAME [ffmpeg output options...]: the last option is the output's format and extension.
seed() {
    local name=$1
    shift
    if ffmpeg -nostdin -hide_banner -loglevel error -y "$@" "$dir/$name" 2>/dev/null &&
        [ -s "$dir/$name" ]; then
        made=$((made + 1))
    else
        rm -f "$dir/$name"
        skipped+=("$name")
    fi
}
# Picture and sound, picture alone, sound alone.
av() { local name=$1; shift; seed "$name" "${video[@]}" "${sound[@]}" -map 0:v -map 1:a -shortest "$@"; }
v() { local name=$1; shift; seed "$name" "${video[@]}" "$@"; }
a() { local name=$1; shift; seed "$name" "${sound[@]}" "$@"; }

av mp4_h264_aac.mp4 -c:v libx264 -bf 2 -g 4 -c:a aac
av mp4_mpeg4_mp3.mp4 -c:v mpeg4 -c:a libmp3lame -ar 22050
av mov_h264_pcm.mov -c:v libx264 -c:a pcm_s16le
av mov_prores_alac.mov -c:v prores -c:a alac
av 3gp_h263_amr.3gp -s 128x96 -c:v h263 -c:a aac -ar 8000
av 3g2_mpeg4_aac.3g2 -c:v mpeg4 -c:a aac
av f4v_h264_aac.f4v -c:v libx264 -c:a aac
av ipod_h264_aac.m4v -c:v libx264 -c:a aac -f ipod
av psp_h264_aac.mp4 -c:v libx264 -c:a aac -f psp
av ismv_h264_aac.ismv -c:v libx264 -c:a aac
av mkv_h264_vorbis.mkv -c:v libx264 -c:a libvorbis
av mkv_hevc_opus.mkv -c:v libx265 -x265-params log-level=none -c:a libopus -ar 48000
av mkv_ffv1_flac.mkv -c:v ffv1 -c:a flac
av webm_vp8_vorbis.webm -c:v libvpx -c:a libvorbis
av webm_vp9_opus.webm -c:v libvpx-vp9 -c:a libopus -ar 48000
av webm_av1_opus.webm -c:v libaom-av1 -cpu-used 8 -c:a libopus -ar 48000
av avi_mpeg4_mp3.avi -c:v mpeg4 -c:a libmp3lame
av avi_mjpeg_pcm.avi -c:v mjpeg -c:a pcm_u8
av avi_rawvideo.avi -c:v rawvideo -c:a pcm_s16le
av asf_wmv2_wmav2.asf -c:v wmv2 -c:a wmav2
av wmv_msmpeg4_wmav1.wmv -c:v msmpeg4 -c:a wmav1
av flv_flv1_mp3.flv -c:v flv -c:a libmp3lame -ar 11025
av flv_h264_aac.flv -c:v libx264 -c:a aac
av ts_mpeg2_mp2.ts -c:v mpeg2video -c:a mp2
av ts_h264_aac.ts -c:v libx264 -c:a aac
av ts_hevc_ac3.ts -c:v libx265 -x265-params log-level=none -c:a ac3
av mpg_mpeg1_mp2.mpg -r 25 -c:v mpeg1video -c:a mp2 -f mpeg
av vob_mpeg2_ac3.vob -c:v mpeg2video -c:a ac3 -f vob
av vcd_mpeg1_mp2.mpg -s 352x288 -r 25 -c:v mpeg1video -c:a mp2 -ar 44100 -f vcd
av svcd_mpeg2_mp2.mpg -s 480x576 -r 25 -c:v mpeg2video -c:a mp2 -ar 44100 -f svcd
av dvd_mpeg2_ac3.vob -s 720x576 -r 25 -c:v mpeg2video -c:a ac3 -ar 48000 -f dvd
av ogv_theora_vorbis.ogv -c:v libtheora -c:a libvorbis
av nut_ffv1_pcm.nut -c:v ffv1 -c:a pcm_s16le
av nut_mpeg4_mp2.nut -c:v mpeg4 -c:a mp2
av mxf_mpeg2_pcm.mxf -r 25 -c:v mpeg2video -c:a pcm_s16le -ar 48000
av gxf_mpeg2_pcm.gxf -s 720x576 -r 25 -c:v mpeg2video -c:a pcm_s16le -ar 48000
av dv_pal.dv -s 720x576 -r 25 -pix_fmt yuv420p -c:v dvvideo -c:a pcm_s16le -ar 48000 -ac 2
av rm_rv20_ac3.rm -c:v rv20 -c:a ac3
av swf_flv1_mp3.swf -c:v flv -c:a libmp3lame -ar 11025
av amv_amv_adpcm.amv -s 64x48 -r 10 -c:v amv -pix_fmt yuvj420p -c:a adpcm_ima_amv -ar 22050 -block_size 2205
av smjpeg_mjpeg_pcm.mjpg -c:v mjpeg -c:a pcm_s16le -f smjpeg
av wtv_mpeg2_mp2.wtv -c:v mpeg2video -c:a mp2
av mkv_mpeg2_mp2.mkv -c:v mpeg2video -c:a mp2
v roq_roqvideo.roq -s 64x48 -r 30 -c:v roqvideo
v ivf_vp8.ivf -c:v libvpx
v ivf_vp9.ivf -c:v libvpx-vp9
v ivf_av1.ivf -c:v libaom-av1 -cpu-used 8
v obu_av1.obu -c:v libaom-av1 -cpu-used 8
v raw.h264 -c:v libx264 -bf 2 -g 4
v raw.hevc -c:v libx265 -x265-params log-level=none
v raw.m2v -c:v mpeg2video -f mpeg2video
v raw.m1v -r 25 -c:v mpeg1video -f mpeg1video
v raw.m4v -c:v mpeg4 -f m4v
v raw.h261 -s 176x144 -c:v h261 -f h261
v raw.h263 -s 128x96 -c:v h263 -f h263
v raw.mjpeg -c:v mjpeg -f mjpeg
v raw.dnxhd -s 1920x1080 -frames:v 1 -pix_fmt yuv422p -b:v 36M -c:v dnxhd -f dnxhd
v raw.vc2 -c:v vc2 -f dirac
v y4m_yuv420p.y4m -f yuv4mpegpipe
v y4m_yuv444p.y4m -pix_fmt yuv444p -f yuv4mpegpipe
v anim.gif -c:v gif
v anim.apng -c:v apng -plays 0 -f apng
v anim.webp -c:v libwebp_anim -f webp
v still.avif -frames:v 1 -c:v libaom-av1 -still-picture 1
v still.png -frames:v 1 -update 1
v still.jpg -frames:v 1 -update 1
v still.bmp -frames:v 1 -update 1
v still.tiff -frames:v 1 -update 1
v still.tga -frames:v 1 -update 1
v still.ppm -frames:v 1 -update 1
v still.jp2 -frames:v 1 -c:v jpeg2000 -update 1
v still.ico -frames:v 1 -s 32x32 -c:v bmp
v still.fits -frames:v 1 -pix_fmt gray -f fits
v still.xwd -frames:v 1 -update 1
v still.sgi -frames:v 1 -update 1
v still.pcx -frames:v 1 -update 1
v filmstrip.flm -pix_fmt rgba -f filmstrip
v mkv_utvideo.mkv -c:v utvideo
v mkv_huffyuv.mkv -c:v huffyuv
v mkv_qtrle.mov -c:v qtrle
v mkv_cinepak.mov -c:v cinepak
v avi_msvideo1.avi -c:v msvideo1 -s 64x48
v avi_zmbv.avi -c:v zmbv
v mkv_hevc_main10.mkv -pix_fmt yuv420p10le -c:v libx265 -x265-params log-level=none
v mp4_h264_444.mp4 -pix_fmt yuv444p -c:v libx264
a wav_pcm.wav
a mp3.mp3 -c:a libmp3lame
a flac.flac
a oga_vorbis.oga -c:a libvorbis
a opus.opus -c:a libopus -ar 48000
a adts_aac.aac -c:a aac -f adts
a latm_aac.latm -c:a aac -f latm
a ac3.ac3
a eac3.eac3
a au_pcm.au
a aiff_pcm.aiff
a caf_alac.caf -c:a alac
a w64_pcm.w64
a wv_wavpack.wv
a tta.tta
a mka_opus.mka -c:a libopus -ar 48000
a m4a_alac.m4a -c:a alac
a mmf_adpcm.mmf -ar 8000
a voc_pcm.voc
a sox_pcm.sox
a gsm.gsm -c:a libgsm -ar 8000 -f gsm
a g722.g722 -ar 16000
a dts.dts -c:a dca -strict -2 -ar 48000
a mp2.mp2
a spx_speex.spx -c:a libspeex
a truehd.thd -c:a truehd -strict -2 -ar 48000
a mlp.mlp -c:a mlp -strict -2 -ar 48000
a ircam.sf -f ircam
a wsaud.aud -c:a adpcm_ima_ws -f wsaud
a ast.ast -c:a pcm_s16be_planar -f ast
a kvag.vag -c:a adpcm_ima_ssi -f kvag

echo "make-seeds.sh: $made seeds in $dir; not written by this ffmpeg: ${skipped[*]:-none}"
