#ifndef LEDE_SYS_H
#define LEDE_SYS_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, or -1 with errno set (ENOSYS/EINVAL where the
/// kernel or file system cannot exchange).
int lede_exchange_paths(const char *a, const char *b);

#include <stddef.h>

/// The first place `needle` is found in `haystack`, or NULL (glibc's
/// memmem, which Swift's Glibc module leaves out as a GNU extension).
const void *lede_find_bytes(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

#endif
