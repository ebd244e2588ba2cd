/* fuzz.h - what the fuzz harnesses share.
 *
 * Each harness (fuzz_csv.c, fuzz_model.c, fuzz_experiment.c) defines
 * fuzz_NAME(data, size): it hands the bytes to one reader of user files as an
 * in-memory FILE and checks what the reader promises, calling abort() when a
 * promise is broken so that libFuzzer keeps the input. Built with clang's
 * -fsanitize=fuzzer, the harness also defines LLVMFuzzerTestOneInput; built
 * with FUZZ_NO_ENTRY, it is a plain function that tests/test_fuzz_regressions.c
 * runs on every saved input.
 */
#ifndef NNLAB_FUZZ_H
#define NNLAB_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ERRLEN 512

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond);             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The input as a read-only stream; fclose it after use. */
static inline FILE *fuzz_open(const uint8_t *data, size_t size)
{
    /* "r" never writes to the buffer, whatever fmemopen's prototype says */
    const void *buf = size ? (const void *)data : (const void *)"";
    FILE *fp = fmemopen((void *)(uintptr_t)buf, size, "r");
    FUZZ_CHECK(fp != NULL);
    return fp;
}

/* An error buffer filled with junk, so that a message left unterminated shows. */
static inline void fuzz_fill_err(char *err, size_t errlen) { memset(err, 'X', errlen); }

/* A failing reader's message: one line, terminated within the buffer, and
 * starting with the file's name and a colon, as the command line shows it. */
static inline void fuzz_check_message(const char *err, size_t errlen, const char *name)
{
    FUZZ_CHECK(memchr(err, '\0', errlen) != NULL);
    size_t n = strlen(name);
    FUZZ_CHECK(strncmp(err, name, n) == 0 && err[n] == ':');
    FUZZ_CHECK(strlen(err) > n + 2);
    FUZZ_CHECK(strchr(err, '\n') == NULL);
}

#endif
