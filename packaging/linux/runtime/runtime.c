// SPDX-License-Identifier: MIT
//
// SimDesk's AppImage runtime (type 2): the small program at the front of the AppImage file.
// The squashfs image of the AppDir is appended to it, starting where this ELF file ends (its
// section header table is the last thing in it). When run, it mounts that image read-only with
// FUSE (squashfuse's low-level file system, linked statically with libfuse3), runs AppRun in it
// with the arguments it was given, and unmounts when AppRun has ended. Where FUSE is missing
// (no /dev/fuse, no fusermount3, a container) it can unpack the image instead:
//
//   --appimage-extract [PATTERN]  unpack (the files matching the shell PATTERN) to ./squashfs-root
//   --appimage-extract-and-run …  unpack to a temporary folder, run AppRun there, delete it
//                                 (also when APPIMAGE_EXTRACT_AND_RUN=1)
//   --appimage-mount              mount, print the mount point, wait for Ctrl+C
//   --appimage-offset             print where the image starts
//   --appimage-version, --appimage-help
//
// Written from the AppImage type 2 description (magic "AI\2" at offset 8 of the ELF header,
// written by build-appimage after linking; sections .upd_info and .sha256_sig reserved for
// update information and a signature) and the headers of Debian's libsquashfuse and libfuse3.
// AppRun gets APPIMAGE (this file), APPDIR (the mounted or unpacked AppDir), ARGV0 (the name
// it was called by) and OWD (the working directory it was called from).

#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

// squashfuse's config.h sets _POSIX_C_SOURCE for itself.
#undef _POSIX_C_SOURCE
#include <ll.h>
#include <squashfuse.h>

#ifndef SIMDESK_VERSION
#define SIMDESK_VERSION "unknown"
#endif

// Reserved for update information and a signature (AppImage type 2); empty.
__attribute__((section(".upd_info"), used)) static char update_information[1024];
__attribute__((section(".sha256_sig"), used)) static char signature[1024];

static const char *g_self; // this AppImage
static pid_t g_child; // AppRun, while it runs

static void die(const char *what)
{
    fprintf(stderr, "simdesk AppImage: %s\n", what);
    exit(127);
}

// Where the squashfs image starts: the end of this ELF file.
static off_t image_offset(const char *path)
{
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    Elf64_Ehdr eh;
    off_t end = -1;
    if (pread(fd, &eh, sizeof eh, 0) == (ssize_t)sizeof eh
        && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS64
        && eh.e_shnum > 0) {
        end = (off_t)eh.e_shoff + (off_t)eh.e_shentsize * eh.e_shnum;
        // A section placed after the table would end the file instead.
        Elf64_Shdr last;
        const off_t at = (off_t)eh.e_shoff + (off_t)eh.e_shentsize * (eh.e_shnum - 1);
        if (pread(fd, &last, sizeof last, at) == (ssize_t)sizeof last && last.sh_type != SHT_NOBITS
            && (off_t)(last.sh_offset + last.sh_size) > end)
            end = (off_t)(last.sh_offset + last.sh_size);
    }
    close(fd);
    return end;
}

static const char *temp_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

static void forward_signal(int sig)
{
    if (g_child > 0)
        kill(g_child, sig);
}

// Runs DIR/AppRun with argv[1..], waits for it, and returns its exit code (128 + signal when a
// signal ended it). Signals sent to the AppImage go on to AppRun.
static int run_apprun(const char *dir, int argc, char **argv)
{
    char apprun[PATH_MAX];
    char cwd[PATH_MAX];
    snprintf(apprun, sizeof apprun, "%s/AppRun", dir);
    setenv("APPIMAGE", g_self, 1);
    setenv("APPDIR", dir, 1);
    setenv("ARGV0", argv[0], 1);
    if (getcwd(cwd, sizeof cwd))
        setenv("OWD", cwd, 1);

    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args)
        die("out of memory");
    args[0] = apprun;
    for (int i = 1; i < argc; ++i)
        args[i] = argv[i];

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward_signal;
    sigemptyset(&sa.sa_mask);
    const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; ++i)
        sigaction(forwarded[i], &sa, NULL);

    g_child = fork();
    if (g_child < 0)
        die("cannot start AppRun (fork failed)");
    if (g_child == 0) {
        execv(apprun, args);
        fprintf(stderr, "simdesk AppImage: cannot run %s: %s\n", apprun, strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(g_child, &status, 0) < 0 && errno == EINTR) { }
    g_child = 0;
    free(args);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}

// --- mounting ------------------------------------------------------------------------------

static void *session_loop(void *session)
{
    fuse_session_loop((struct fuse_session *)session);
    return NULL;
}

// Lazy unmount: nothing of AppRun may still use the mount, but a straggler must not keep it.
// root unmounts directly; anyone else through libfuse's set-uid helper.
static void detach(const char *mountpoint)
{
    if (geteuid() == 0 && umount2(mountpoint, MNT_DETACH) == 0)
        return;
    const pid_t pid = fork();
    if (pid == 0) {
        execlp("fusermount3", "fusermount3", "-u", "-q", "-z", "--", mountpoint, (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

static struct fuse_lowlevel_ops squashfs_operations(void)
{
    struct fuse_lowlevel_ops ops;
    memset(&ops, 0, sizeof ops);
    ops.getattr = sqfs_ll_op_getattr;
    ops.opendir = sqfs_ll_op_opendir;
    ops.releasedir = sqfs_ll_op_releasedir;
    ops.readdir = sqfs_ll_op_readdir;
    ops.lookup = sqfs_ll_op_lookup;
    ops.open = sqfs_ll_op_open;
    ops.create = sqfs_ll_op_create;
    ops.release = sqfs_ll_op_release;
    ops.read = sqfs_ll_op_read;
    ops.readlink = sqfs_ll_op_readlink;
    ops.listxattr = sqfs_ll_op_listxattr;
    ops.getxattr = sqfs_ll_op_getxattr;
    ops.forget = sqfs_ll_op_forget;
    ops.statfs = stfs_ll_op_statfs;
    return ops;
}

// Mounts the image on a fresh folder under TMPDIR, served by a thread of this process; returns
// 0 and fills `mountpoint`, `channel` and `thread`, or -1 (FUSE unavailable).
static int mount_image(
    off_t offset, char *mountpoint, size_t size, sqfs_ll_chan *channel, pthread_t *thread)
{
    snprintf(mountpoint, size, "%s/.mount_simdesk_XXXXXX", temp_dir());
    if (!mkdtemp(mountpoint))
        return -1;
    sqfs_ll *ll = sqfs_ll_open(g_self, (size_t)offset);
    if (!ll) {
        rmdir(mountpoint);
        return -1;
    }
    char *fuse_argv[]
        = { (char *)"simdesk-appimage", (char *)"-o", (char *)"ro,nodev,nosuid", NULL };
    struct fuse_args args = FUSE_ARGS_INIT(3, fuse_argv);
    struct fuse_lowlevel_ops ops = squashfs_operations();
    if (sqfs_ll_mount(channel, mountpoint, &args, &ops, sizeof ops, ll) != SQFS_OK) {
        rmdir(mountpoint);
        return -1;
    }
    if (pthread_create(thread, NULL, session_loop, channel->session) != 0) {
        sqfs_ll_unmount(channel, mountpoint);
        rmdir(mountpoint);
        return -1;
    }
    return 0;
}

static void unmount_image(const char *mountpoint, sqfs_ll_chan *channel, pthread_t thread)
{
    fuse_session_exit(channel->session);
    detach(mountpoint); // the loop's read of /dev/fuse then ends
    pthread_join(thread, NULL);
    sqfs_ll_unmount(channel, mountpoint);
    rmdir(mountpoint);
}

static const char *no_fuse_hint
    = "cannot mount the AppImage with FUSE (is the fuse3 package installed, and /dev/fuse "
      "there?). Run it with --appimage-extract-and-run instead, or unpack it with "
      "--appimage-extract.";

static int run_mounted(off_t offset, int argc, char **argv)
{
    char mountpoint[PATH_MAX];
    sqfs_ll_chan channel;
    pthread_t thread;
    if (mount_image(offset, mountpoint, sizeof mountpoint, &channel, &thread) != 0)
        die(no_fuse_hint);
    const int code = run_apprun(mountpoint, argc, argv);
    unmount_image(mountpoint, &channel, thread);
    return code;
}

static volatile sig_atomic_t g_stop;
static void stop(int sig)
{
    (void)sig;
    g_stop = 1;
}

static int mount_and_wait(off_t offset)
{
    char mountpoint[PATH_MAX];
    sqfs_ll_chan channel;
    pthread_t thread;
    if (mount_image(offset, mountpoint, sizeof mountpoint, &channel, &thread) != 0)
        die(no_fuse_hint);
    printf("%s\n", mountpoint);
    fflush(stdout);
    signal(SIGINT, stop);
    signal(SIGTERM, stop);
    while (!g_stop)
        pause();
    unmount_image(mountpoint, &channel, thread);
    return 0;
}

// --- unpacking -----------------------------------------------------------------------------

static int make_parents(char *path)
{
    for (char *p = path + 1; *p; ++p) {
        if (*p != '/')
            continue;
        *p = '\0';
        const int r = mkdir(path, 0755);
        *p = '/';
        if (r != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

static int write_file(sqfs *fs, sqfs_inode *inode, const char *path)
{
    const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    static char buffer[1 << 17];
    const sqfs_off_t total = (sqfs_off_t)inode->xtra.reg.file_size;
    for (sqfs_off_t at = 0; at < total;) {
        sqfs_off_t chunk = total - at;
        if (chunk > (sqfs_off_t)sizeof buffer)
            chunk = (sqfs_off_t)sizeof buffer;
        if (sqfs_read_range(fs, inode, at, &chunk, buffer) != SQFS_OK || chunk <= 0
            || write(fd, buffer, (size_t)chunk) != (ssize_t)chunk) {
            close(fd);
            return -1;
        }
        at += chunk;
    }
    fchmod(fd, inode->base.mode & 07777);
    return close(fd);
}

// Unpacks the image (or what matches `pattern`) into `dest`, which must exist.
static int extract(off_t offset, const char *dest, const char *pattern, int verbose)
{
    sqfs fs;
    if (sqfs_open_image(&fs, g_self, (size_t)offset) != SQFS_OK)
        return -1;
    sqfs_traverse trv;
    if (sqfs_traverse_open(&trv, &fs, sqfs_inode_root(&fs)) != SQFS_OK)
        return -1;
    sqfs_err err = SQFS_OK;
    int failed = 0;
    while (!failed && sqfs_traverse_next(&trv, &err)) {
        if (trv.dir_end)
            continue;
        sqfs_inode inode;
        if (sqfs_inode_get(&fs, &inode, trv.entry.inode) != SQFS_OK) {
            failed = 1;
            break;
        }
        if (pattern && fnmatch(pattern, trv.path, 0) != 0)
            continue;
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s", dest, trv.path) >= (int)sizeof path
            || make_parents(path) != 0) {
            failed = 1;
            break;
        }
        if (verbose)
            printf("%s\n", path);
        const mode_t mode = inode.base.mode;
        if (S_ISDIR(mode)) {
            // Writable for us while its contents arrive.
            if (mkdir(path, (mode & 07777) | 0700) != 0 && errno != EEXIST)
                failed = 1;
        } else if (S_ISREG(mode)) {
            failed = write_file(&fs, &inode, path) != 0;
        } else if (S_ISLNK(mode)) {
            size_t size = 0;
            sqfs_readlink(&fs, &inode, NULL, &size);
            char *target = malloc(size);
            failed = !target || sqfs_readlink(&fs, &inode, target, &size) != SQFS_OK;
            if (!failed) {
                unlink(path);
                failed = symlink(target, path) != 0;
            }
            free(target);
        }
        if (failed)
            fprintf(stderr, "simdesk AppImage: cannot write %s: %s\n", path, strerror(errno));
    }
    sqfs_traverse_close(&trv);
    sqfs_destroy(&fs);
    return failed || err != SQFS_OK ? -1 : 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

static int extract_and_run(off_t offset, int argc, char **argv)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/appimage_extracted_simdesk_XXXXXX", temp_dir());
    if (!mkdtemp(dir))
        die("cannot create a folder to unpack into (TMPDIR)");
    if (extract(offset, dir, NULL, 0) != 0)
        die("cannot unpack the AppImage");
    const int code = run_apprun(dir, argc, argv);
    if (!getenv("NO_CLEANUP"))
        nftw(dir, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
    return code;
}

// The arguments without argv[1] (the runtime's own option), for AppRun.
static char **shifted(int argc, char **argv)
{
    argv[1] = argv[0];
    (void)argc;
    return argv + 1;
}

int main(int argc, char **argv)
{
    static char self[PATH_MAX];
    if (!realpath("/proc/self/exe", self))
        die("cannot find this AppImage's own file (/proc is not mounted?)");
    g_self = self;
    const off_t offset = image_offset(self);
    if (offset <= 0)
        die("this file has no ELF header to find the image by");

    const char *option = argc > 1 ? argv[1] : "";
    if (strcmp(option, "--appimage-offset") == 0) {
        printf("%lld\n", (long long)offset);
        return 0;
    }
    if (strcmp(option, "--appimage-version") == 0) {
        printf("SimDesk AppImage runtime %s (squashfuse %s, libfuse %d.%d)\n", SIMDESK_VERSION,
            PACKAGE_VERSION, FUSE_MAJOR_VERSION, FUSE_MINOR_VERSION);
        return 0;
    }
    if (strcmp(option, "--appimage-help") == 0) {
        printf("--appimage-extract [PATTERN]   unpack to ./squashfs-root\n"
               "--appimage-extract-and-run …   unpack to a temporary folder and run from there\n"
               "--appimage-mount               mount the image and print where\n"
               "--appimage-offset              print where the image starts in this file\n"
               "--appimage-version             print the runtime's version\n");
        return 0;
    }
    if (strcmp(option, "--appimage-extract") == 0) {
        if (mkdir("squashfs-root", 0755) != 0 && errno != EEXIST)
            die("cannot create ./squashfs-root");
        return extract(offset, "squashfs-root", argc > 2 ? argv[2] : NULL, 1) == 0 ? 0 : 1;
    }
    if (strcmp(option, "--appimage-mount") == 0)
        return mount_and_wait(offset);
    if (strcmp(option, "--appimage-extract-and-run") == 0)
        return extract_and_run(offset, argc - 1, shifted(argc, argv));
    if (strncmp(option, "--appimage-", 11) == 0) {
        fprintf(stderr, "simdesk AppImage: unknown option %s (see --appimage-help)\n", option);
        return 127;
    }
    const char *env = getenv("APPIMAGE_EXTRACT_AND_RUN");
    if (env && strcmp(env, "1") == 0)
        return extract_and_run(offset, argc, argv);
    return run_mounted(offset, argc, argv);
}
