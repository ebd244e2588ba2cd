/* atomic_file.h - write a file so that it appears complete or not at all.
 *
 * The data goes to a temporary file in the target's folder (name.tmp.XXXXXX);
 * atomic_file_commit flushes it to disk and renames it over the target, so a
 * reader - or a run killed at any moment - sees either the old file or the
 * whole new one, never a truncated one.
 *
 * While a temporary exists, SIGINT and SIGTERM are held back (blocked) and
 * delivered once it is renamed or removed, so an interrupt that ends the
 * program at once still leaves no temporary behind.
 */
#ifndef NNLAB_ATOMIC_FILE_H
#define NNLAB_ATOMIC_FILE_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    FILE *fp;        /* write here between open and commit (NULL when opened by name) */
    int fd;          /* of the temporary, open until commit or abort */
    char path[4096]; /* the target */
    char tmp[4096 + 16];
    sigset_t saved_mask; /* the signal mask to restore when the temporary is gone */
} AtomicFile;

/* Returns 0, or -1 with a message naming the path in err. */
int atomic_file_open(AtomicFile *af, const char *path, char *err, size_t errlen);
/* For a writer that opens the file by its name (PLplot): the same, but with no FILE; the
 * writer writes to af->tmp and closes it before the commit. af->fd stays open on the
 * temporary, for the caller to check what was written (pread, fstat). */
int atomic_file_open_name(AtomicFile *af, const char *path, char *err, size_t errlen);
/* Checks every write succeeded, flushes to disk, then renames into place. On failure
 * removes the temporary, returns -1 with a message, and leaves the target untouched. */
int atomic_file_commit(AtomicFile *af, char *err, size_t errlen);
/* Gives up: removes the temporary. Safe to call after a failed commit. */
void atomic_file_abort(AtomicFile *af);

/* mkdir -p: creates path and its missing parents. Returns 0, or -1 with a
 * message naming the path and the reason. */
int make_dirs(const char *path, char *err, size_t errlen);

/* SIGINT and SIGTERM wait (blocked) until release, which restores saved:
 * as while a temporary exists, for other work that must not be cut short. */
void atomic_signals_hold(sigset_t *saved);
void atomic_signals_release(const sigset_t *saved);

#endif
