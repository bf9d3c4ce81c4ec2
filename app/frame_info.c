#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include <libavutil/avutil.h>

#include "frame_info.h"

FPFrameInfoFormat fp_frame_info_format_of(const char *path)
{
    const char *dot = strrchr(path, '.');

    return dot && (!strcasecmp(dot, ".jsonl") || !strcasecmp(dot, ".json"))
               ? FP_FRAME_INFO_JSONL
               : FP_FRAME_INFO_CSV;
}

void fp_frame_info_header(FILE *out, FPFrameInfoFormat format)
{
    if (format == FP_FRAME_INFO_CSV)
        fputs("n,total,time,pts,dts,time_base,type,key,size,pos,md5\n", out);
}

/* A number, or what stands for unknown in format. */
static void number(FILE *out, FPFrameInfoFormat format, int64_t value, int known)
{
    if (known)
        fprintf(out, "%" PRId64, value);
    else if (format == FP_FRAME_INFO_JSONL)
        fputs("null", out);
    else if (format == FP_FRAME_INFO_LINE)
        fputc('?', out);
}

void fp_frame_info_write(FILE *out, FPFrameInfoFormat format, const FPFrameInfo *fi)
{
    static const char *const names[] = {"n", "total", "time", "pts", "dts", "time_base",
                                        "type", "key", "size", "pos", "md5"};
    const char *sep = format == FP_FRAME_INFO_CSV ? "," : format == FP_FRAME_INFO_JSONL ? ",\"" : " ";
    const char *eq = format == FP_FRAME_INFO_JSONL ? "\":" : "=";
    int quote = format == FP_FRAME_INFO_JSONL;

    fputs(format == FP_FRAME_INFO_JSONL ? "{\"" : format == FP_FRAME_INFO_LINE ? "info " : "", out);
    for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
        if (format == FP_FRAME_INFO_LINE && i == 10 && !fi->md5[0])
            break; /* not asked for */
        if (i)
            fputs(sep, out);
        if (format != FP_FRAME_INFO_CSV)
            fprintf(out, "%s%s", names[i], eq);
        switch (i) {
        case 0: number(out, format, fi->number, fi->number >= 0); break;
        case 1: number(out, format, fi->total, fi->total >= 0); break;
        case 2: fprintf(out, "%.6f", fi->time); break;
        case 3: number(out, format, fi->pts, fi->pts != AV_NOPTS_VALUE); break;
        case 4: number(out, format, fi->dts, fi->dts != AV_NOPTS_VALUE); break;
        case 5:
            fprintf(out, quote ? "\"%d/%d\"" : "%d/%d", fi->time_base.num, fi->time_base.den);
            break;
        case 6: fprintf(out, quote ? "\"%c\"" : "%c", fi->type); break;
        case 7:
            fputs(quote ? (fi->key ? "true" : "false") : fi->key ? "1" : "0", out);
            break;
        case 8: number(out, format, fi->size, fi->size >= 0); break;
        case 9: number(out, format, fi->pos, fi->pos >= 0); break;
        case 10:
            if (!fi->md5[0])
                number(out, format, 0, 0);
            else
                fprintf(out, quote ? "\"%s\"" : "%s", fi->md5);
            break;
        }
    }
    fputs(format == FP_FRAME_INFO_JSONL ? "}\n" : "\n", out);
}
