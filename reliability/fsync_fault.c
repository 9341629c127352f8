/* A failing disk for one process (issue 15): loaded with LD_PRELOAD into `wharf serve`, it makes
 * fsync and fdatasync (and, with WHARF_FAULT_PWRITE=1, pwrite) fail with EIO once the file named
 * by WHARF_FAULT_TRIGGER exists, for files whose path contains WHARF_FAULT_PATH (default
 * "wharf.sqlite": the database, its WAL and its shared memory). Without the trigger file every
 * call goes straight to the C library. Built by reliability/io_fault.py with clang or cc:
 *   cc -shared -fPIC -O2 -o fsync_fault.so fsync_fault.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int failing(int fd) {
    const char *trigger = getenv("WHARF_FAULT_TRIGGER");
    struct stat st;
    if (trigger == NULL || stat(trigger, &st) != 0) return 0;
    const char *wanted = getenv("WHARF_FAULT_PATH");
    if (wanted == NULL || *wanted == '\0') wanted = "wharf.sqlite";
    char link[64], target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t length = readlink(link, target, sizeof target - 1);
    if (length < 0) return 0;
    target[length] = '\0';
    return strstr(target, wanted) != NULL;
}

static int pwrite_fails(int fd) {
    const char *flag = getenv("WHARF_FAULT_PWRITE");
    return flag != NULL && strcmp(flag, "1") == 0 && failing(fd);
}

int fsync(int fd) {
    static int (*real)(int) = NULL;
    if (real == NULL) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    if (failing(fd)) { errno = EIO; return -1; }
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int) = NULL;
    if (real == NULL) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    if (failing(fd)) { errno = EIO; return -1; }
    return real(fd);
}

ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset) {
    static ssize_t (*real)(int, const void *, size_t, off_t) = NULL;
    if (real == NULL) real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
    if (pwrite_fails(fd)) { errno = EIO; return -1; }
    return real(fd, buffer, count, offset);
}

ssize_t pwrite64(int fd, const void *buffer, size_t count, off64_t offset) {
    static ssize_t (*real)(int, const void *, size_t, off64_t) = NULL;
    if (real == NULL) real = (ssize_t (*)(int, const void *, size_t, off64_t))dlsym(RTLD_NEXT, "pwrite64");
    if (pwrite_fails(fd)) { errno = EIO; return -1; }
    return real(fd, buffer, count, offset);
}
