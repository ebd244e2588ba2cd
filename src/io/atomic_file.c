/* atomic_file.c - temporary file + fsync + rename. */
#include "atomic_file.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void atomic_signals_hold(sigset_t *saved)
{
    sigset_t hold;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &hold, saved);
}

void atomic_signals_release(const sigset_t *saved) { pthread_sigmask(SIG_SETMASK, saved, NULL); }

/* Creates a temporary file next to path: fills tmp, returns an open fd or -1 with errno
 * set; EISDIR or EEXIST if path is a folder or anything else but a regular file (a device
 * such as /dev/full, a symbolic link), which renaming would replace. */
static int tmp_create(const char *path, char *tmp, size_t tmplen)
{
    /* Renaming over a device, a folder or a link would replace it, not write to it. */
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EEXIST;
        return -1;
    }
    int len = snprintf(tmp, tmplen, "%s.tmp.XXXXXX", path);
    if (len < 0 || (size_t)len >= tmplen) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd >= 0)
        fchmod(fd, 0644); /* mkstemp makes 0600; outputs are for everyone to read */
    return fd;
}

/* The part of both opens: the temporary exists and af->fd is open on it. */
static int open_tmp(AtomicFile *af, const char *path, char *err, size_t errlen)
{
    memset(af, 0, sizeof *af);
    af->fd = -1;
    if (strlen(path) >= sizeof af->path) {
        snprintf(err, errlen, "%.200s...: file name too long", path);
        return -1;
    }
    strcpy(af->path, path);
    atomic_signals_hold(&af->saved_mask);
    af->fd = tmp_create(path, af->tmp, sizeof af->tmp);
    if (af->fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path,
                 errno == EEXIST ? "something other than a regular file is there"
                                 : strerror(errno));
        af->tmp[0] = '\0';
        atomic_signals_release(&af->saved_mask);
        return -1;
    }
    return 0;
}

int atomic_file_open(AtomicFile *af, const char *path, char *err, size_t errlen)
{
    if (open_tmp(af, path, err, errlen) != 0)
        return -1;
    af->fp = fdopen(af->fd, "w");
    if (!af->fp) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        atomic_file_abort(af);
        return -1;
    }
    return 0;
}

int atomic_file_open_name(AtomicFile *af, const char *path, char *err, size_t errlen)
{
    return open_tmp(af, path, err, errlen);
}

int atomic_file_commit(AtomicFile *af, char *err, size_t errlen)
{
    /* errno after a failed stdio write is the reason, if anything set it */
    int reason = 0;
    if (af->fp && ferror(af->fp))
        reason = errno ? errno : EIO;
    else if ((af->fp && fflush(af->fp) != 0) || fsync(af->fd) != 0)
        reason = errno;
    if ((af->fp ? fclose(af->fp) : close(af->fd)) != 0 && !reason)
        reason = errno;
    af->fp = NULL;
    af->fd = -1;
    if (!reason && rename(af->tmp, af->path) != 0)
        reason = errno;
    if (!reason) {
        af->tmp[0] = '\0';
        atomic_signals_release(&af->saved_mask);
        return 0;
    }
    snprintf(err, errlen, "cannot write %s: %s", af->path, strerror(reason));
    atomic_file_abort(af);
    return -1;
}

void atomic_file_abort(AtomicFile *af)
{
    if (af->fp)
        fclose(af->fp); /* closes af->fd too */
    else if (af->fd >= 0)
        close(af->fd);
    af->fp = NULL;
    af->fd = -1;
    if (af->tmp[0]) {
        unlink(af->tmp);
        af->tmp[0] = '\0';
        atomic_signals_release(&af->saved_mask);
    }
}

int make_dirs(const char *path, char *err, size_t errlen)
{
    char buf[4096];
    if (strlen(path) >= sizeof buf || path[0] == '\0') {
        snprintf(err, errlen, "cannot create folder %.200s: %s", path,
                 path[0] ? strerror(ENAMETOOLONG) : "empty name");
        return -1;
    }
    strcpy(buf, path);
    /* Create each prefix ending before a '/', then the whole path. */
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        struct stat st;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create folder %s: %s", buf, strerror(errno));
            return -1;
        }
        if (stat(buf, &st) != 0) {
            snprintf(err, errlen, "cannot create folder %s: %s", buf, strerror(errno));
            return -1;
        }
        if (!S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "cannot create folder %s: a file of that name is in the way",
                     buf);
            return -1;
        }
        *p = saved;
        if (saved == '\0')
            return 0;
    }
}
