/* io_status.h - what the readers of user files (csv.h, model_io.h,
 * experiment.h) return, so that the command line can tell bad input (exit 2)
 * from a failure of the machine (exit 1). */
#ifndef NNLAB_IO_STATUS_H
#define NNLAB_IO_STATUS_H

#include <errno.h>

enum {
    IO_OK = 0,
    IO_BAD_INPUT = -1, /* the file is missing, malformed, a folder, not readable by us */
    IO_FAILED = -2,    /* out of memory, too many open files, a read error */
};

/* The status of an fopen that failed with errno e. */
static inline int io_open_status(int e)
{
    return e == ENOMEM || e == EMFILE || e == ENFILE || e == EIO ? IO_FAILED : IO_BAD_INPUT;
}

#endif
