/* isolate.c - fork, a pipe for the message and one for standard error, a
 * time limit with alarm() (isolate.h). The parent reads both pipes of a
 * child with poll() so a child that fills one while the parent waits on the
 * other cannot deadlock; other children meanwhile wait on their full pipes,
 * if they fill them, until their turn. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "isolate.h"

static void write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

bool isolate_start(isolate_child *c, void (*work)(void *arg, kql_buf *message), void *arg, unsigned seconds)
{
    int msg[2], err[2];
    if (pipe(msg) != 0) return false;
    if (pipe(err) != 0) {
        close(msg[0]);
        close(msg[1]);
        return false;
    }
    fflush(stdout);   /* or the child would print the caller's pending output again */
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(msg[0]), close(msg[1]), close(err[0]), close(err[1]);
        errno = e;
        return false;
    }
    if (pid == 0) {
        close(msg[0]);
        close(err[0]);
        dup2(err[1], STDERR_FILENO);
        close(err[1]);
        alarm(seconds);
        kql_buf m;
        kql_buf_init(&m);
        work(arg, &m);
        alarm(0);   /* done: a wait for the parent to read the report is no hang */
        write_all(msg[1], m.data ? m.data : "", m.len);
        kql_buf_free(&m);
        close(msg[1]);
        exit(0);   /* exit, not _exit: a sanitized build checks the child for leaks too */
    }
    close(msg[1]);
    close(err[1]);
    *c = (isolate_child){ pid, msg[0], err[0] };
    return true;
}

void isolate_finish(isolate_child *c, isolate_result *out)
{
    memset(out, 0, sizeof *out);
    kql_buf_init(&out->message);
    kql_buf_init(&out->err);
    struct pollfd fds[2] = { { c->msg_fd, POLLIN, 0 }, { c->err_fd, POLLIN, 0 } };
    kql_buf *bufs[2] = { &out->message, &out->err };
    int open_fds = 2;
    char chunk[65536];
    while (open_fds) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !fds[i].revents) continue;
            ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            } else {
                kql_buf_put(bufs[i], chunk, (size_t)n);
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0) close(fds[i].fd);
    int status = 0;
    while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR) {}
    kql_buf_cstr(&out->message);
    kql_buf_cstr(&out->err);
    if (WIFEXITED(status)) {
        out->exit_status = WEXITSTATUS(status);
        out->completed = out->exit_status == 0;
    } else {
        out->exit_status = -1;
        out->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        out->timed_out = out->signal == SIGALRM;
    }
}

void isolate_free(isolate_result *r)
{
    kql_buf_free(&r->message);
    kql_buf_free(&r->err);
}
