/*
 * echo-server: the C reference for ringside's selector loop (perf/scripts/vs-c.sh, issue 13).
 *
 * One thread, one epoll instance, level-triggered, the shape of Redis's ae.c and of ringside's EventLoop:
 *   - the listener is non-blocking; each readiness accepts up to ACCEPT_BUDGET connections (accept4 with
 *     SOCK_NONBLOCK, TCP_NODELAY on each, as ringside sets it), each registered for EPOLLIN;
 *   - a readable connection gets one read() into a per-loop buffer and one write() of what was read;
 *     a short write keeps the rest in a per-connection buffer, turns EPOLLIN off and EPOLLOUT on until it
 *     drains (the same backpressure ringside applies: no reading while output is backed up);
 *   - EOF or an error closes the connection (churn: accept, echo, close on EOF).
 * Nothing else: no timers, no counters beyond a few totals printed on exit, no protocol. It is the floor a
 * Java selector loop doing the same system calls can be compared with.
 *
 * Usage: echo-server [-a ADDRESS] [-p PORT] [-r]   (default 127.0.0.1, port 0 = any free port)
 *   -r sets SO_REUSEPORT, so that several processes share one port as ringside's prefork server's workers do
 *      (perf/scripts/hundredk.sh: past one process's descriptor limit, N of these on one port).
 * Prints "listening PORT" on stdout once it accepts; exits on SIGTERM or SIGINT, printing its totals.
 * Build: cc -O2 -o echo-server echo-server.c    (perf/scripts/vs-c.sh does it)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_EVENTS 1024
#define READ_BYTES 65536
#define ACCEPT_BUDGET 64
#define BACKLOG 4096

/* Bytes read but not yet written, per connection; NULL while nothing is pending (the common case). */
struct pending {
    char *bytes;
    size_t offset;
    size_t length;
};

static volatile sig_atomic_t stop_requested;
static struct pending *pending;     /* indexed by fd */
static int max_fds;
static unsigned long long accepted, closed, bytes_echoed;

static void on_signal(int sig) {
    (void) sig;
    stop_requested = 1;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void set_events(int ep, int fd, unsigned events) {
    struct epoll_event ev = {.events = events, .data.fd = fd};
    if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) < 0) {
        die("epoll_ctl MOD");
    }
}

static void close_connection(int fd) {
    /* close() removes the fd from the epoll set: no EPOLL_CTL_DEL needed (the fd is not shared). */
    close(fd);
    free(pending[fd].bytes);
    pending[fd].bytes = NULL;
    pending[fd].length = 0;
    closed++;
}

static void on_accept(int ep, int listener) {
    for (int i = 0; i < ACCEPT_BUDGET; i++) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED && errno != EINTR) {
                perror("accept4"); /* EMFILE and friends: say so, carry on (the backlog keeps it) */
            }
            return;
        }
        if (fd >= max_fds) {
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
            die("epoll_ctl ADD");
        }
        accepted++;
    }
}

/* Writes what is pending; returns 0 when it all went, 1 when some is left, -1 on error. */
static int flush_pending(int fd) {
    struct pending *p = &pending[fd];
    ssize_t n = write(fd, p->bytes + p->offset, p->length - p->offset);
    if (n < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK ? 1 : -1;
    }
    bytes_echoed += (unsigned long long) n;
    p->offset += (size_t) n;
    if (p->offset < p->length) {
        return 1;
    }
    free(p->bytes);
    p->bytes = NULL;
    p->length = 0;
    return 0;
}

static void on_readable(int ep, int fd, char *buffer) {
    ssize_t n = read(fd, buffer, READ_BYTES);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        close_connection(fd);
        return;
    }
    if (n < 0) {
        return;
    }
    ssize_t w = write(fd, buffer, (size_t) n);
    if (w < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            close_connection(fd);
            return;
        }
        w = 0;
    }
    bytes_echoed += (unsigned long long) w;
    if (w < n) {
        /* Short write: keep the rest, stop reading until it is sent. */
        struct pending *p = &pending[fd];
        p->length = (size_t) (n - w);
        p->offset = 0;
        p->bytes = malloc(p->length);
        if (p->bytes == NULL) {
            die("malloc");
        }
        memcpy(p->bytes, buffer + w, p->length);
        set_events(ep, fd, EPOLLOUT);
    }
}

static void on_writable(int ep, int fd) {
    int left = flush_pending(fd);
    if (left < 0) {
        close_connection(fd);
    } else if (left == 0) {
        set_events(ep, fd, EPOLLIN);
    }
}

int main(int argc, char **argv) {
    const char *address = "127.0.0.1";
    int port = 0;
    int reuse_port = 0;
    int opt;
    while ((opt = getopt(argc, argv, "a:p:r")) != -1) {
        switch (opt) {
            case 'a': address = optarg; break;
            case 'p': port = atoi(optarg); break;
            case 'r': reuse_port = 1; break;
            default:
                fprintf(stderr, "usage: %s [-a ADDRESS] [-p PORT] [-r]\n", argv[0]);
                return 2;
        }
    }
    max_fds = (int) sysconf(_SC_OPEN_MAX);
    if (max_fds <= 0) {
        max_fds = 65536;
    }
    pending = calloc((size_t) max_fds, sizeof *pending);
    char *buffer = malloc(READ_BYTES);
    if (pending == NULL || buffer == NULL) {
        die("calloc");
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (listener < 0) {
        die("socket");
    }
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reuse_port && setsockopt(listener, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) {
        die("SO_REUSEPORT");
    }
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port)};
    if (inet_pton(AF_INET, address, &sin.sin_addr) != 1) {
        fprintf(stderr, "echo-server: not an IPv4 address: %s\n", address);
        return 2;
    }
    if (bind(listener, (struct sockaddr *) &sin, sizeof sin) < 0) {
        die("bind");
    }
    if (listen(listener, BACKLOG) < 0) {
        die("listen");
    }
    socklen_t len = sizeof sin;
    getsockname(listener, (struct sockaddr *) &sin, &len);

    int ep = epoll_create1(0);
    if (ep < 0) {
        die("epoll_create1");
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev) < 0) {
        die("epoll_ctl listener");
    }
    printf("listening %d\n", ntohs(sin.sin_port));
    fflush(stdout);

    struct epoll_event events[MAX_EVENTS];
    while (!stop_requested) {
        int ready = epoll_wait(ep, events, MAX_EVENTS, -1);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("epoll_wait");
        }
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                on_accept(ep, listener);
            } else if (events[i].events & EPOLLOUT) {
                on_writable(ep, fd);
            } else {
                /* EPOLLIN, or EPOLLHUP/EPOLLERR: the read reports EOF or the error and closes. */
                on_readable(ep, fd, buffer);
            }
        }
    }
    fprintf(stderr, "echo-server: accepted %llu closed %llu bytes echoed %llu\n", accepted, closed, bytes_echoed);
    return 0;
}
