#define _GNU_SOURCE
#include "CPacketIO.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define PIO_CONTROL_SIZE 64

struct pio_batch {
    struct mmsghdr messages[PIO_BATCH_SIZE];
    struct iovec vectors[PIO_BATCH_SIZE];
    struct sockaddr_storage sources[PIO_BATCH_SIZE];
    /// Room for each datagram's SCM_TIMESTAMPNS.
    uint8_t controls[PIO_BATCH_SIZE][PIO_CONTROL_SIZE];
    int received;
    /// CLOCK_MONOTONIC when the last receive returned, and CLOCK_REALTIME minus CLOCK_MONOTONIC
    /// then: what turns the kernel's (real-time) stamps into the clock of every send time.
    int64_t read_at;
    int64_t clock_offset;
    /// The messages marked to be sent back, in order, as indexes into messages.
    int marked[PIO_BATCH_SIZE];
    int marked_count;
    /// Scratch for sendmmsg: the marked messages, contiguous.
    struct mmsghdr outgoing[PIO_BATCH_SIZE];
    struct iovec outgoing_vectors[PIO_BATCH_SIZE];
    uint8_t buffers[PIO_BATCH_SIZE][PIO_DATAGRAM_SIZE];
};

/// The lengths a successful receive overwrites in the first `count` headers; the rest of each
/// header is set once, at creation.
static void reset_lengths(pio_batch *batch, int count) {
    for (int i = 0; i < count; i++) {
        struct msghdr *header = &batch->messages[i].msg_hdr;
        header->msg_namelen = sizeof(struct sockaddr_storage);
        header->msg_controllen = PIO_CONTROL_SIZE;
        header->msg_flags = 0;
    }
}

pio_batch *pio_batch_create(void) {
    pio_batch *batch = calloc(1, sizeof(pio_batch));
    if (batch == NULL) return NULL;
    for (int i = 0; i < PIO_BATCH_SIZE; i++) {
        batch->vectors[i].iov_base = batch->buffers[i];
        batch->vectors[i].iov_len = PIO_DATAGRAM_SIZE;
        struct msghdr *header = &batch->messages[i].msg_hdr;
        header->msg_name = &batch->sources[i];
        header->msg_iov = &batch->vectors[i];
        header->msg_iovlen = 1;
        header->msg_control = batch->controls[i];
    }
    reset_lengths(batch, PIO_BATCH_SIZE);
    return batch;
}

void pio_batch_destroy(pio_batch *batch) { free(batch); }

int pio_batch_receive(pio_batch *batch, int fd, int most) {
    if (most < 1 || most > PIO_BATCH_SIZE) most = PIO_BATCH_SIZE;
    // Most reads take one datagram (a client's socket): only the headers the kernel wrote back
    // to are set again, not all 64.
    reset_lengths(batch, batch->received < PIO_BATCH_SIZE ? batch->received + 1 : PIO_BATCH_SIZE);
    batch->received = 0;
    batch->marked_count = 0;
    int count = recvmmsg(fd, batch->messages, (unsigned int)most, MSG_DONTWAIT, NULL);
    if (count < 0) return -errno;
    batch->received = count;
    struct timespec real, mono;
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    batch->read_at = (int64_t)mono.tv_sec * 1000000000 + mono.tv_nsec;
    batch->clock_offset = ((int64_t)real.tv_sec - mono.tv_sec) * 1000000000 + (real.tv_nsec - mono.tv_nsec);
    return count;
}

const uint8_t *pio_batch_bytes(const pio_batch *batch, int index) { return batch->buffers[index]; }

int pio_batch_length(const pio_batch *batch, int index) { return (int)batch->messages[index].msg_len; }

int64_t pio_batch_arrival(const pio_batch *batch, int index) {
    const struct msghdr *header = &batch->messages[index].msg_hdr;
    for (struct cmsghdr *control = CMSG_FIRSTHDR(header); control != NULL;
         control = CMSG_NXTHDR((struct msghdr *)header, control)) {
        if (control->cmsg_level == SOL_SOCKET && control->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec stamp;
            memcpy(&stamp, CMSG_DATA(control), sizeof stamp);
            int64_t arrival = (int64_t)stamp.tv_sec * 1000000000 + stamp.tv_nsec - batch->clock_offset;
            // A wall-clock step between the stamp and the read could put it in the future.
            return arrival < batch->read_at ? arrival : batch->read_at;
        }
    }
    return -1;
}

int pio_enable_timestamps(int fd) {
    int on = 1;
    return setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == 0 ? 0 : -errno;
}

void pio_batch_mark(pio_batch *batch, int index) {
    if (index >= 0 && index < batch->received && batch->marked_count < PIO_BATCH_SIZE) {
        batch->marked[batch->marked_count++] = index;
    }
}

int pio_batch_send_marked(pio_batch *batch, int fd) {
    int count = batch->marked_count;
    batch->marked_count = 0;
    for (int i = 0; i < count; i++) {
        int index = batch->marked[i];
        batch->outgoing_vectors[i].iov_base = batch->buffers[index];
        batch->outgoing_vectors[i].iov_len = batch->messages[index].msg_len;
        struct msghdr *header = &batch->outgoing[i].msg_hdr;
        header->msg_name = &batch->sources[index];
        header->msg_namelen = batch->messages[index].msg_hdr.msg_namelen;
        header->msg_iov = &batch->outgoing_vectors[i];
        header->msg_iovlen = 1;
        header->msg_control = NULL;
        header->msg_controllen = 0;
        header->msg_flags = 0;
    }
    int sent = 0;
    while (sent < count) {
        int result = sendmmsg(fd, batch->outgoing + sent, (unsigned int)(count - sent), MSG_DONTWAIT);
        if (result < 0) {
            if (errno == EINTR) continue;
            return sent > 0 ? sent : -errno;
        }
        sent += result;
    }
    return sent;
}

const struct sockaddr *pio_batch_source(const pio_batch *batch, int index) {
    return (const struct sockaddr *)&batch->sources[index];
}

struct pio_outbox {
    struct mmsghdr messages[PIO_BATCH_SIZE];
    struct iovec vectors[PIO_BATCH_SIZE];
    struct sockaddr_storage destinations[PIO_BATCH_SIZE];
    int count;
    uint8_t buffers[PIO_BATCH_SIZE][PIO_DATAGRAM_SIZE];
};

pio_outbox *pio_outbox_create(void) {
    pio_outbox *outbox = calloc(1, sizeof(pio_outbox));
    if (outbox == NULL) return NULL;
    for (int i = 0; i < PIO_BATCH_SIZE; i++) {
        outbox->vectors[i].iov_base = outbox->buffers[i];
        struct msghdr *header = &outbox->messages[i].msg_hdr;
        header->msg_name = &outbox->destinations[i];
        header->msg_iov = &outbox->vectors[i];
        header->msg_iovlen = 1;
    }
    return outbox;
}

void pio_outbox_destroy(pio_outbox *outbox) { free(outbox); }

int pio_outbox_add(pio_outbox *outbox, const uint8_t *header, int header_length, const uint8_t *payload,
                   int payload_length, const struct sockaddr *to, socklen_t to_length) {
    int length = header_length + payload_length;
    if (outbox->count >= PIO_BATCH_SIZE || header_length < 0 || payload_length < 0 || length > PIO_DATAGRAM_SIZE
        || to_length > (socklen_t)sizeof(struct sockaddr_storage)) {
        return -1;
    }
    int index = outbox->count++;
    memcpy(outbox->buffers[index], header, (size_t)header_length);
    memcpy(outbox->buffers[index] + header_length, payload, (size_t)payload_length);
    outbox->vectors[index].iov_len = (size_t)length;
    memcpy(&outbox->destinations[index], to, to_length);
    outbox->messages[index].msg_hdr.msg_namelen = to_length;
    return outbox->count;
}

int pio_outbox_count(const pio_outbox *outbox) { return outbox->count; }

int pio_outbox_flush(pio_outbox *outbox, int fd) {
    int count = outbox->count;
    outbox->count = 0;
    int next = 0, left = 0;
    while (next < count) {
        int result = sendmmsg(fd, outbox->messages + next, (unsigned int)(count - next), MSG_DONTWAIT);
        if (result < 0) {
            if (errno == EINTR) continue;
            // The first one is lost; the rest may still go.
            next++;
            continue;
        }
        next += result;
        left += result;
    }
    return left;
}

int pio_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int pio_epoll_add(int epoll, int fd, uint64_t token) {
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = token};
    return epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) == 0 ? 0 : -errno;
}

int pio_epoll_remove(int epoll, int fd) {
    return epoll_ctl(epoll, EPOLL_CTL_DEL, fd, NULL) == 0 ? 0 : -errno;
}

int pio_epoll_wait(int epoll, uint64_t *tokens, int capacity, int timeout_ms) {
    struct epoll_event events[256];
    if (capacity > 256) capacity = 256;
    int count = epoll_wait(epoll, events, capacity, timeout_ms);
    if (count < 0) return errno == EINTR ? 0 : -errno;
    for (int i = 0; i < count; i++) tokens[i] = events[i].data.u64;
    return count;
}

int pio_eventfd_create(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

void pio_eventfd_signal(int fd) {
    uint64_t one = 1;
    ssize_t ignored = write(fd, &one, sizeof one);
    (void)ignored;
}

void pio_eventfd_drain(int fd) {
    uint64_t value;
    ssize_t ignored = read(fd, &value, sizeof value);
    (void)ignored;
}

void pio_name_thread(const char *name) { pthread_setname_np(pthread_self(), name); }
