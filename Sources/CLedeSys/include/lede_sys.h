#ifndef LEDE_SYS_H
#define LEDE_SYS_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, or -1 with errno set (ENOSYS/EINVAL where the
/// kernel or file system cannot exchange).
int lede_exchange_paths(const char *a, const char *b);

#endif
