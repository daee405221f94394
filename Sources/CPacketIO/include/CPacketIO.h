// The few Linux calls Swift cannot reach through Glibc: epoll, eventfd, recvmmsg and
// sendmmsg (whose struct mmsghdr Swift cannot import, SR-6772). A batch of datagrams lives
// in C, opaque to Swift, so that no per-message struct crosses the language boundary.
#ifndef CPACKETIO_H
#define CPACKETIO_H

#include <stdint.h>
#include <sys/socket.h>

/// Up to this many datagrams per batch, each of up to this many bytes.
#define PIO_BATCH_SIZE 64
#define PIO_DATAGRAM_SIZE 2048

typedef struct pio_batch pio_batch;

pio_batch *pio_batch_create(void);
void pio_batch_destroy(pio_batch *batch);

/// Receives up to `most` datagrams (at most PIO_BATCH_SIZE) without blocking: their count, or
/// -errno (-EAGAIN when none was waiting).
int pio_batch_receive(pio_batch *batch, int fd, int most);
/// The i-th datagram received: its bytes and length.
const uint8_t *pio_batch_bytes(const pio_batch *batch, int index);
int pio_batch_length(const pio_batch *batch, int index);
/// When the kernel queued the i-th datagram, on CLOCK_MONOTONIC (nanoseconds) and never later
/// than the receive returned, or -1 when the socket does not stamp (pio_enable_timestamps).
int64_t pio_batch_arrival(const pio_batch *batch, int index);
/// Has the kernel stamp each datagram the socket receives (SO_TIMESTAMPNS).
int pio_enable_timestamps(int fd);
/// Marks the i-th datagram received to be sent back to where it came from.
void pio_batch_mark(pio_batch *batch, int index);
/// Sends every marked datagram back to its source with sendmmsg, on an unconnected socket,
/// and clears the marks: how many were sent, or -errno for the first that failed.
int pio_batch_send_marked(pio_batch *batch, int fd);
/// Where the i-th datagram received came from.
const struct sockaddr *pio_batch_source(const pio_batch *batch, int index);

/// Datagrams queued for one sendmmsg from one socket to many destinations (a relay's
/// listener answering many clients): each a short header and a payload, both copied in, so
/// that the buffers they came from may be read into again before the send.
typedef struct pio_outbox pio_outbox;

pio_outbox *pio_outbox_create(void);
void pio_outbox_destroy(pio_outbox *outbox);
/// Queues header + payload (at most PIO_DATAGRAM_SIZE bytes in all) for `to`: how many are
/// queued now, or -1 when it does not fit (flush first when the count reaches PIO_BATCH_SIZE).
int pio_outbox_add(pio_outbox *outbox, const uint8_t *header, int header_length, const uint8_t *payload,
                   int payload_length, const struct sockaddr *to, socklen_t to_length);
int pio_outbox_count(const pio_outbox *outbox);
/// Sends what is queued from fd with sendmmsg and empties the queue: how many left; what the
/// socket refused (a full send buffer) is lost, as a router's full queue loses it.
int pio_outbox_flush(pio_outbox *outbox, int fd);

int pio_epoll_create(void);
/// Watches fd for reading (errors are always reported), with token handed back by wait.
int pio_epoll_add(int epoll, int fd, uint64_t token);
int pio_epoll_remove(int epoll, int fd);
/// Waits up to timeout_ms (-1: no limit) for readable fds: how many tokens were written.
int pio_epoll_wait(int epoll, uint64_t *tokens, int capacity, int timeout_ms);

/// A non-blocking eventfd, and its two halves: add one, and drain.
int pio_eventfd_create(void);
void pio_eventfd_signal(int fd);
void pio_eventfd_drain(int fd);

/// Names the calling thread, as top -H shows it (15 characters at most).
void pio_name_thread(const char *name);

#endif
