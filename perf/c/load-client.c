/*
 * load-client: the C reference load generator for perf/scripts/vs-c.sh (issue 13).
 *
 * Two modes, both bounded in time (a warm-up, then a measured window) and loopback-only by intent:
 *
 *   echo   N connections, each keeping D fixed-size messages in flight (closed loop, pipelined). Refill is
 *          batched as ringside bench does it: after one read, every whole reply in it is counted (and its
 *          latency taken from one clock read per read), then the connection's free slots are refilled with
 *          ONE write of k messages. A short write keeps the rest and waits for EPOLLOUT. Replies are checked
 *          by length only (no byte verification: this is the floor, ringside's verification is what the
 *          comparison prices).
 *   churn  C slots, each looping: non-blocking connect, write one message, read its echo, close (the client
 *          closes first, so TIME_WAIT stays on the client; Linux's tcp_tw_reuse=2 reuses those on loopback).
 *          Reports connections per second.
 *
 * -P PROCS forks that many generator processes (the connections/slots are split between them); the parent
 * only synchronises the start, samples the server's CPU and sums the results. With -S PID the server's
 * utime+stime (all its threads, /proc/PID/stat) over the measured window gives its CPU per message or per
 * connection.
 *
 * Output: one line of key=value pairs on stdout, e.g.
 *   mode=echo procs=1 conns=100 depth=16 size=64 seconds=5.000 count=24000000 rate=4800000 p50_us=310
 *   p99_us=420 errors=0 server_cpu_pct=98.0 server_us_per_op=0.204 client_cpu_pct=99.0
 * (count/rate are replies in echo mode, completed connections in churn mode). Exit status 0, or 1 when a
 * connection failed during setup or any error was counted.
 *
 * Usage: load-client -t HOST:PORT [-m echo|churn] [-c CONNS] [-d DEPTH] [-s SIZE] [-w WARMUP_S]
 *                    [-T SECONDS] [-P PROCS] [-S SERVER_PID]
 * Build: cc -O2 -o load-client load-client.c    (perf/scripts/vs-c.sh does it)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 1024
#define READ_BYTES 65536
#define MAX_PROCS 64
/* Latency histogram: 16 linear sub-buckets per power of two of nanoseconds (about 6% resolution). */
#define SUB_BITS 4
#define BUCKETS (64 << SUB_BITS)

struct options {
    struct sockaddr_in target;
    int churn;
    int conns;
    int depth;
    int size;
    double warmup_s;
    double seconds;
    int procs;
    int server_pid;
};

/* What one generator process sends back to the parent. */
struct result {
    uint64_t count;       /* replies (echo) or completed connections (churn) in the window */
    uint64_t errors;
    uint64_t cpu_ns;      /* this process's user+system time over the window */
    uint64_t histogram[BUCKETS];
};

/* One echo connection. */
struct conn {
    int fd;
    int in_flight;
    int rx_offset;        /* bytes of the next reply already read */
    int tx_pending;       /* bytes of a short write still to go (from the message buffer's start) */
    int head;             /* index of the oldest in-flight send time */
    uint64_t *sent_ns;    /* depth slots, a ring */
};

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static void sleep_until(uint64_t deadline_ns) {
    struct timespec ts = {.tv_sec = (time_t) (deadline_ns / 1000000000ull),
        .tv_nsec = (long) (deadline_ns % 1000000000ull)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

static uint64_t own_cpu_ns(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (uint64_t) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull
        + (uint64_t) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
}

/* utime + stime of a process, all threads, in clock ticks; -1 when it cannot be read. */
static long long process_ticks(int pid) {
    char path[64], text[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *p = strrchr(text, ')');  /* the command name may hold spaces and parentheses */
    if (p == NULL) {
        return -1;
    }
    unsigned long long utime = 0, stime = 0;
    /* After ")": state (field 3) ... utime is field 14, stime field 15. */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) {
        return -1;
    }
    return (long long) (utime + stime);
}

static void record(uint64_t *histogram, uint64_t value_ns) {
    if (value_ns < (1u << SUB_BITS)) {
        histogram[value_ns]++;
        return;
    }
    int msb = 63 - __builtin_clzll(value_ns);
    int sub = (int) ((value_ns >> (msb - SUB_BITS)) & ((1u << SUB_BITS) - 1));
    histogram[((msb - SUB_BITS + 1) << SUB_BITS) + sub]++;
}

/* The upper edge of a bucket, in ns. */
static uint64_t bucket_value(int index) {
    int group = index >> SUB_BITS;
    int sub = index & ((1 << SUB_BITS) - 1);
    if (group == 0) {
        return (uint64_t) sub;
    }
    int msb = group + SUB_BITS - 1;
    return ((uint64_t) ((1 << SUB_BITS) + sub + 1) << (msb - SUB_BITS)) - 1;
}

static uint64_t percentile(const uint64_t *histogram, double pct) {
    uint64_t total = 0;
    for (int i = 0; i < BUCKETS; i++) {
        total += histogram[i];
    }
    if (total == 0) {
        return 0;
    }
    uint64_t rank = (uint64_t) (pct / 100.0 * (double) total);
    if (rank >= total) {
        rank = total - 1;
    }
    uint64_t seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
        seen += histogram[i];
        if (seen > rank) {
            return bucket_value(i);
        }
    }
    return 0;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static int connect_blocking(const struct sockaddr_in *target) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        die("socket");
    }
    if (connect(fd, (const struct sockaddr *) target, sizeof *target) < 0) {
        die("connect");
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
        die("fcntl O_NONBLOCK");
    }
    return fd;
}

/* ------------------------------------------------------------------------------------------------------ */
/* echo                                                                                                     */
/* ------------------------------------------------------------------------------------------------------ */

/* Sends k messages in one write; returns -1 on a broken connection. */
static int send_batch(int ep, struct conn *c, const char *messages, int size, int k) {
    ssize_t want = (ssize_t) k * size;
    ssize_t n = write(c->fd, messages, (size_t) want);
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            return -1;
        }
        n = 0;
    }
    c->in_flight += k;
    if (n < want) {
        /* The rest goes when the socket is writable. The messages are all alike, so "the rest" is just a
         * count of bytes from the buffer's end. */
        c->tx_pending = (int) (want - n);
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    }
    return 0;
}

static void run_echo(const struct options *o, int conns, uint64_t start_ns, struct result *r) {
    int depth = o->depth;
    int size = o->size;
    char *messages = malloc((size_t) depth * (size_t) size);
    char *buffer = malloc(READ_BYTES);
    struct conn *cs = calloc((size_t) conns, sizeof *cs);
    if (messages == NULL || buffer == NULL || cs == NULL) {
        die("malloc");
    }
    for (int i = 0; i < depth * size; i++) {
        messages[i] = (char) ('a' + (i % size) % 26);
    }
    int ep = epoll_create1(0);
    for (int i = 0; i < conns; i++) {
        cs[i].fd = connect_blocking(&o->target);
        cs[i].sent_ns = calloc((size_t) depth, sizeof(uint64_t));
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &cs[i]};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev) < 0) {
            die("epoll_ctl");
        }
    }
    sleep_until(start_ns);  /* every process starts together */
    uint64_t measure_ns = start_ns + (uint64_t) (o->warmup_s * 1e9);
    uint64_t end_ns = measure_ns + (uint64_t) (o->seconds * 1e9);
    uint64_t now = now_ns();
    for (int i = 0; i < conns; i++) {
        for (int k = 0; k < depth; k++) {
            cs[i].sent_ns[k] = now;
        }
        if (send_batch(ep, &cs[i], messages, size, depth) < 0) {
            r->errors++;
        }
    }
    int measuring = 0;
    uint64_t cpu0 = 0;
    struct epoll_event events[MAX_EVENTS];
    while (now < end_ns) {
        int timeout_ms = (int) ((end_ns - now) / 1000000ull) + 1;
        int ready = epoll_wait(ep, events, MAX_EVENTS, timeout_ms);
        if (ready < 0 && errno != EINTR) {
            die("epoll_wait");
        }
        for (int e = 0; e < ready; e++) {
            struct conn *c = events[e].data.ptr;
            if (c->fd < 0) {
                continue;
            }
            if (c->tx_pending > 0 && (events[e].events & EPOLLOUT)) {
                ssize_t n = write(c->fd, messages + (ssize_t) depth * size - c->tx_pending, (size_t) c->tx_pending);
                if (n > 0) {
                    c->tx_pending -= (int) n;
                }
                if (c->tx_pending == 0) {
                    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
            if (!(events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
                continue;
            }
            ssize_t n = read(c->fd, buffer, READ_BYTES);
            if (n <= 0) {
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                    continue;
                }
                r->errors++;
                close(c->fd);
                c->fd = -1;
                continue;
            }
            now = now_ns();  /* one clock read per read, as ringside bench does per reply batch */
            if (!measuring && now >= measure_ns) {
                measuring = 1;
                cpu0 = own_cpu_ns();
            }
            int bytes = c->rx_offset + (int) n;
            int replies = bytes / size;
            c->rx_offset = bytes % size;
            if (replies > c->in_flight) {
                r->errors++;  /* more bytes than were asked for */
                replies = c->in_flight;
            }
            for (int k = 0; k < replies; k++) {
                if (measuring && now < end_ns) {
                    record(r->histogram, now - c->sent_ns[c->head]);
                }
                c->head = c->head + 1 == depth ? 0 : c->head + 1;
            }
            c->in_flight -= replies;
            if (measuring && now < end_ns) {
                r->count += (uint64_t) replies;
            }
            int free_slots = depth - c->in_flight;
            if (free_slots > 0 && c->tx_pending == 0 && now < end_ns) {
                int tail = c->head + c->in_flight;
                for (int k = 0; k < free_slots; k++) {
                    c->sent_ns[(tail + k) % depth] = now;
                }
                if (send_batch(ep, c, messages, size, free_slots) < 0) {
                    r->errors++;
                    close(c->fd);
                    c->fd = -1;
                }
            }
        }
        now = now_ns();
    }
    r->cpu_ns = measuring ? own_cpu_ns() - cpu0 : 0;
}

/* ------------------------------------------------------------------------------------------------------ */
/* churn                                                                                                    */
/* ------------------------------------------------------------------------------------------------------ */

struct slot {
    int fd;
    int received;
    int connected;
};

static int start_connect(int ep, struct slot *s, const struct sockaddr_in *target) {
    s->received = 0;
    s->connected = 0;
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (s->fd < 0) {
        return -1;
    }
    int one = 1;
    setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(s->fd, (const struct sockaddr *) target, sizeof *target) < 0 && errno != EINPROGRESS) {
        close(s->fd);
        s->fd = -1;
        return -1;
    }
    struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = s};
    epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev);
    return 0;
}

static void run_churn(const struct options *o, int slots, uint64_t start_ns, struct result *r) {
    int size = o->size;
    char *message = malloc((size_t) size);
    char *buffer = malloc(READ_BYTES);
    struct slot *ss = calloc((size_t) slots, sizeof *ss);
    if (message == NULL || buffer == NULL || ss == NULL) {
        die("malloc");
    }
    memset(message, 'c', (size_t) size);
    int ep = epoll_create1(0);
    sleep_until(start_ns);
    uint64_t measure_ns = start_ns + (uint64_t) (o->warmup_s * 1e9);
    uint64_t end_ns = measure_ns + (uint64_t) (o->seconds * 1e9);
    for (int i = 0; i < slots; i++) {
        if (start_connect(ep, &ss[i], &o->target) < 0) {
            r->errors++;
        }
    }
    int measuring = 0;
    uint64_t cpu0 = 0;
    uint64_t now = now_ns();
    struct epoll_event events[MAX_EVENTS];
    while (now < end_ns) {
        int timeout_ms = (int) ((end_ns - now) / 1000000ull) + 1;
        int ready = epoll_wait(ep, events, MAX_EVENTS, timeout_ms);
        if (ready < 0 && errno != EINTR) {
            die("epoll_wait");
        }
        now = now_ns();
        if (!measuring && now >= measure_ns) {
            measuring = 1;
            cpu0 = own_cpu_ns();
        }
        int counting = measuring && now < end_ns;
        for (int e = 0; e < ready; e++) {
            struct slot *s = events[e].data.ptr;
            int done = 0, failed = 0;
            if (!s->connected) {
                /* Writable after a non-blocking connect: the write fails if the connect did. */
                ssize_t n = write(s->fd, message, (size_t) size);
                if (n != size) {
                    failed = 1;
                } else {
                    s->connected = 1;
                    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = s};
                    epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
                }
            } else {
                ssize_t n = read(s->fd, buffer, READ_BYTES);
                if (n > 0) {
                    s->received += (int) n;
                    done = s->received >= size;
                } else if (!(n < 0 && (errno == EAGAIN || errno == EINTR))) {
                    failed = 1;
                }
            }
            if (done || failed) {
                close(s->fd);  /* also leaves the epoll set */
                if (failed) {
                    r->errors++;
                } else if (counting) {
                    r->count++;
                }
                if (now < end_ns && start_connect(ep, s, &o->target) < 0) {
                    r->errors++;
                }
            }
        }
    }
    r->cpu_ns = measuring ? own_cpu_ns() - cpu0 : 0;
}

/* ------------------------------------------------------------------------------------------------------ */

static int write_all(int fd, const void *data, size_t length) {
    const char *p = data;
    while (length > 0) {
        ssize_t n = write(fd, p, length);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += n;
        length -= (size_t) n;
    }
    return 0;
}

static int read_all(int fd, void *data, size_t length) {
    char *p = data;
    while (length > 0) {
        ssize_t n = read(fd, p, length);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += n;
        length -= (size_t) n;
    }
    return 0;
}

static void usage(const char *name) {
    fprintf(stderr, "usage: %s -t HOST:PORT [-m echo|churn] [-c CONNS] [-d DEPTH] [-s SIZE] [-w WARMUP_S] "
        "[-T SECONDS] [-P PROCS] [-S SERVER_PID]\n", name);
    exit(2);
}

int main(int argc, char **argv) {
    struct options o = {.conns = 100, .depth = 1, .size = 64, .warmup_s = 2, .seconds = 5, .procs = 1};
    const char *target = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "t:m:c:d:s:w:T:P:S:")) != -1) {
        switch (opt) {
            case 't': target = optarg; break;
            case 'm':
                if (strcmp(optarg, "churn") == 0) {
                    o.churn = 1;
                } else if (strcmp(optarg, "echo") != 0) {
                    usage(argv[0]);
                }
                break;
            case 'c': o.conns = atoi(optarg); break;
            case 'd': o.depth = atoi(optarg); break;
            case 's': o.size = atoi(optarg); break;
            case 'w': o.warmup_s = atof(optarg); break;
            case 'T': o.seconds = atof(optarg); break;
            case 'P': o.procs = atoi(optarg); break;
            case 'S': o.server_pid = atoi(optarg); break;
            default: usage(argv[0]);
        }
    }
    if (target == NULL || o.conns < 1 || o.depth < 1 || o.size < 1 || o.procs < 1 || o.procs > MAX_PROCS
        || o.procs > o.conns || o.seconds <= 0 || o.warmup_s < 0 || o.depth * o.size > READ_BYTES * 16) {
        usage(argv[0]);
    }
    char host[64];
    const char *colon = strrchr(target, ':');
    if (colon == NULL || (size_t) (colon - target) >= sizeof host) {
        usage(argv[0]);
    }
    memcpy(host, target, (size_t) (colon - target));
    host[colon - target] = '\0';
    o.target.sin_family = AF_INET;
    o.target.sin_port = htons((uint16_t) atoi(colon + 1));
    if (inet_pton(AF_INET, host, &o.target.sin_addr) != 1) {
        fprintf(stderr, "load-client: not an IPv4 address: %s\n", host);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);

    /* Connections are set up before the common start instant; allow 1 s plus 1 ms per 10 connections. */
    uint64_t start_ns = now_ns() + 1000000000ull + (uint64_t) (o.churn ? 0 : o.conns) * 100000ull;
    int pipes[MAX_PROCS][2];
    pid_t pids[MAX_PROCS];
    for (int p = 0; p < o.procs; p++) {
        if (pipe(pipes[p]) < 0) {
            die("pipe");
        }
        pids[p] = fork();
        if (pids[p] < 0) {
            die("fork");
        }
        if (pids[p] == 0) {
            close(pipes[p][0]);
            int mine = o.conns / o.procs + (p < o.conns % o.procs ? 1 : 0);
            struct result *r = calloc(1, sizeof *r);
            if (o.churn) {
                run_churn(&o, mine, start_ns, r);
            } else {
                run_echo(&o, mine, start_ns, r);
            }
            write_all(pipes[p][1], r, sizeof *r);
            _exit(0);
        }
        close(pipes[p][1]);
    }
    uint64_t measure_ns = start_ns + (uint64_t) (o.warmup_s * 1e9);
    sleep_until(measure_ns);
    long long server0 = o.server_pid > 0 ? process_ticks(o.server_pid) : -1;
    uint64_t t0 = now_ns();
    sleep_until(measure_ns + (uint64_t) (o.seconds * 1e9));
    long long server1 = o.server_pid > 0 ? process_ticks(o.server_pid) : -1;
    uint64_t t1 = now_ns();

    struct result total;
    memset(&total, 0, sizeof total);
    int failed = 0;
    struct result *r = malloc(sizeof *r);
    for (int p = 0; p < o.procs; p++) {
        if (read_all(pipes[p][0], r, sizeof *r) < 0) {
            failed = 1;
            continue;
        }
        total.count += r->count;
        total.errors += r->errors;
        total.cpu_ns += r->cpu_ns;
        for (int i = 0; i < BUCKETS; i++) {
            total.histogram[i] += r->histogram[i];
        }
    }
    for (int p = 0; p < o.procs; p++) {
        int status;
        waitpid(pids[p], &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            failed = 1;
        }
    }
    double window_s = (double) (t1 - t0) / 1e9;
    double rate = (double) total.count / o.seconds;
    printf("mode=%s procs=%d conns=%d depth=%d size=%d seconds=%.3f count=%llu rate=%.0f errors=%llu",
        o.churn ? "churn" : "echo", o.procs, o.conns, o.churn ? 1 : o.depth, o.size, o.seconds,
        (unsigned long long) total.count, rate, (unsigned long long) total.errors);
    if (!o.churn) {
        printf(" p50_us=%.1f p99_us=%.1f", percentile(total.histogram, 50) / 1e3,
            percentile(total.histogram, 99) / 1e3);
    }
    if (server0 >= 0 && server1 >= 0) {
        double server_s = (double) (server1 - server0) / (double) sysconf(_SC_CLK_TCK);
        printf(" server_cpu_pct=%.1f server_us_per_op=%.3f", 100.0 * server_s / window_s,
            total.count > 0 ? 1e6 * server_s / (rate * window_s) : 0.0);
    }
    printf(" client_cpu_pct=%.1f\n", 100.0 * (double) total.cpu_ns / 1e9 / o.seconds);
    return failed || total.errors > 0 ? 1 : 0;
}
