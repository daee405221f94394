// libopus (libopus-dev). The inline functions wrap opus_encoder_ctl's variadic macros, which
// Swift cannot call.
#ifndef TURNLOAD_COPUS_SHIM_H
#define TURNLOAD_COPUS_SHIM_H

#include <opus/opus.h>

static inline int turnload_opus_set_bitrate(OpusEncoder *encoder, opus_int32 bitrate) {
    return opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bitrate));
}

static inline int turnload_opus_set_vbr(OpusEncoder *encoder, opus_int32 vbr) {
    return opus_encoder_ctl(encoder, OPUS_SET_VBR(vbr));
}

static inline int turnload_opus_set_dtx(OpusEncoder *encoder, opus_int32 dtx) {
    return opus_encoder_ctl(encoder, OPUS_SET_DTX(dtx));
}

static inline int turnload_opus_set_inband_fec(OpusEncoder *encoder, opus_int32 fec) {
    return opus_encoder_ctl(encoder, OPUS_SET_INBAND_FEC(fec));
}

static inline int turnload_opus_set_packet_loss_perc(OpusEncoder *encoder, opus_int32 percent) {
    return opus_encoder_ctl(encoder, OPUS_SET_PACKET_LOSS_PERC(percent));
}

static inline int turnload_opus_set_complexity(OpusEncoder *encoder, opus_int32 complexity) {
    return opus_encoder_ctl(encoder, OPUS_SET_COMPLEXITY(complexity));
}

static inline int turnload_opus_set_signal_voice(OpusEncoder *encoder) {
    return opus_encoder_ctl(encoder, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
}

#endif
