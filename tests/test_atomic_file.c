/* test_atomic_file.c - writes that appear complete or not at all, even when
 * the writer is killed half-way (kill -9) or interrupted (SIGINT/SIGTERM).
 * Writes that fail half-way (a full disk, a file size limit) are tested on
 * the program itself in tests/cli/reliability.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic_file.h"

#define OLD_TEXT "the old, complete file\n"

typedef struct {
    char dir[64];
    char path[128];
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/nnlab-atomic-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/out.txt", f->dir);
    FILE *fp = fopen(f->path, "w");
    fputs(OLD_TEXT, fp);
    fclose(fp);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    DIR *d = opendir(f->dir);
    struct dirent *e;
    char p[512];
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void read_file(const char *path, char *buf, size_t size)
{
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t n = fread(buf, 1, size - 1, fp);
    buf[n] = '\0';
    fclose(fp);
}

/* Files in dir other than out.txt (temporaries left behind). */
static int count_others(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.' && strcmp(e->d_name, "out.txt") != 0;
    closedir(d);
    return n;
}

/* Writes 100 lines of new text to path, committing only if commit is set;
 * raises sig half-way through if sig is not 0. Runs in a child process. */
static void write_new(const char *path, int sig, int commit)
{
    AtomicFile af;
    char err[256];
    if (atomic_file_open(&af, path, err, sizeof err) != 0)
        _exit(10);
    for (int i = 0; i < 100; i++) {
        fprintf(af.fp, "new line %d\n", i);
        if (i == 50) {
            fflush(af.fp);
            if (sig)
                raise(sig);
        }
    }
    if (commit && atomic_file_commit(&af, err, sizeof err) != 0)
        _exit(11);
    if (!commit)
        atomic_file_abort(&af);
    _exit(0);
}

/* In a child about to raise sig: sig's default action, killing it, whatever it inherited
 * (a shell's background job starts with SIGINT ignored, and a raise would then do nothing). */
static void default_action(int sig)
{
    if (sig)
        signal(sig, SIG_DFL);
}

/* Runs write_new in a child; returns its wait status. */
static int in_child(const char *path, int sig, int commit)
{
    pid_t pid = fork();
    if (pid == 0) {
        default_action(sig);
        write_new(path, sig, commit);
    }
    int status;
    waitpid(pid, &status, 0);
    return status;
}

static void test_commit_replaces_the_file(void **state)
{
    Fixture *f = *state;
    char buf[4096];
    int status = in_child(f->path, 0, 1);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    read_file(f->path, buf, sizeof buf);
    assert_non_null(strstr(buf, "new line 0\n"));
    assert_non_null(strstr(buf, "new line 99\n"));
    assert_int_equal(count_others(f->dir), 0);
    struct stat st;
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
}

/* kill -9 half-way: the old file stays whole (a temporary may remain, under
 * another name; nothing can remove it when the process cannot run). */
static void test_kill_9_half_way_keeps_the_old_file(void **state)
{
    Fixture *f = *state;
    char buf[4096];
    int status = in_child(f->path, SIGKILL, 1);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    read_file(f->path, buf, sizeof buf);
    assert_string_equal(buf, OLD_TEXT);
}

/* SIGTERM half-way (default action: die) is held back until the file is in
 * place: the new file is whole and no temporary is left. */
static void test_sigterm_waits_for_the_file(void **state)
{
    Fixture *f = *state;
    char buf[4096];
    int status = in_child(f->path, SIGTERM, 1);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    read_file(f->path, buf, sizeof buf);
    assert_non_null(strstr(buf, "new line 99\n"));
    assert_int_equal(count_others(f->dir), 0);
}

/* The same when the writer gives up instead: the old file, no temporary. */
static void test_sigint_then_abort_leaves_the_old_file(void **state)
{
    Fixture *f = *state;
    char buf[4096];
    int status = in_child(f->path, SIGINT, 0);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
    read_file(f->path, buf, sizeof buf);
    assert_string_equal(buf, OLD_TEXT);
    assert_int_equal(count_others(f->dir), 0);
}

/* Like write_new, for a writer that opens the file by name as PLplot does: the 100 lines
 * go through a FILE of its own on af.tmp, closed before the commit. */
static void write_new_by_name(const char *path, int sig, int commit)
{
    AtomicFile af;
    char err[256];
    if (atomic_file_open_name(&af, path, err, sizeof err) != 0 || af.fp || af.fd < 0)
        _exit(10);
    FILE *fp = fopen(af.tmp, "w");
    if (!fp)
        _exit(12);
    for (int i = 0; i < 100; i++) {
        fprintf(fp, "new line %d\n", i);
        if (i == 50) {
            fflush(fp);
            if (sig)
                raise(sig);
        }
    }
    fclose(fp);
    if (commit && atomic_file_commit(&af, err, sizeof err) != 0)
        _exit(11);
    if (!commit)
        atomic_file_abort(&af);
    _exit(0);
}

static int by_name_in_child(const char *path, int sig, int commit)
{
    pid_t pid = fork();
    if (pid == 0) {
        default_action(sig);
        write_new_by_name(path, sig, commit);
    }
    int status;
    waitpid(pid, &status, 0);
    return status;
}

static void test_by_name_commit_replaces_the_file(void **state)
{
    Fixture *f = *state;
    char buf[4096];
    int status = by_name_in_child(f->path, 0, 1);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    read_file(f->path, buf, sizeof buf);
    assert_non_null(strstr(buf, "new line 0\n"));
    assert_non_null(strstr(buf, "new line 99\n"));
    assert_int_equal(count_others(f->dir), 0);
    struct stat st;
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
}

/* By name too, SIGTERM half-way waits for the commit, and an abort keeps the old file. */
static void test_by_name_signals_wait_and_abort_keeps_the_old_file(void **state)
{
    Fixture *f = *state;
    char buf[4096];
    int status = by_name_in_child(f->path, SIGINT, 0);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
    read_file(f->path, buf, sizeof buf);
    assert_string_equal(buf, OLD_TEXT);
    assert_int_equal(count_others(f->dir), 0);

    status = by_name_in_child(f->path, SIGTERM, 1);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    read_file(f->path, buf, sizeof buf);
    assert_non_null(strstr(buf, "new line 99\n"));
    assert_int_equal(count_others(f->dir), 0);
}

/* The fd stays open on what the writer wrote by name, and a commit that cannot rename
 * (a folder took the target's place meanwhile) removes the temporary and says why. */
static void test_by_name_failed_rename_removes_the_temporary(void **state)
{
    Fixture *f = *state;
    char err[256] = "";
    AtomicFile af;
    assert_int_equal(atomic_file_open_name(&af, f->path, err, sizeof err), 0);
    FILE *fp = fopen(af.tmp, "w");
    assert_non_null(fp);
    fputs("by name\n", fp);
    fclose(fp);
    char back[16] = "";
    assert_int_equal(pread(af.fd, back, 8, 0), 8);
    assert_memory_equal(back, "by name\n", 8);

    char inner[256];
    snprintf(inner, sizeof inner, "%s/keep", f->path);
    assert_int_equal(unlink(f->path), 0);
    assert_int_equal(mkdir(f->path, 0755), 0);
    FILE *k = fopen(inner, "w");
    assert_non_null(k);
    fclose(k);
    assert_int_equal(atomic_file_commit(&af, err, sizeof err), -1);
    assert_non_null(strstr(err, f->path));
    atomic_file_abort(&af); /* safe after a failed commit */
    unlink(inner);
    rmdir(f->path);
    assert_int_equal(count_others(f->dir), 0);
}

static void test_never_replaces_a_folder_or_device(void **state)
{
    Fixture *f = *state;
    char err[256];
    AtomicFile af;
    assert_int_equal(atomic_file_open(&af, f->dir, err, sizeof err), -1);
    assert_non_null(strstr(err, "Is a directory"));
    assert_int_equal(atomic_file_open(&af, "/dev/null", err, sizeof err), -1);
    assert_non_null(strstr(err, "/dev/null"));
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_replaces_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_9_half_way_keeps_the_old_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigterm_waits_for_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigint_then_abort_leaves_the_old_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_never_replaces_a_folder_or_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_by_name_commit_replaces_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_by_name_signals_wait_and_abort_keeps_the_old_file,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_by_name_failed_rename_removes_the_temporary, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
