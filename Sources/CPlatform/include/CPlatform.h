// Linux calls Swift's Glibc module does not declare (it is built without _GNU_SOURCE).
#ifndef CHANCERY_CPLATFORM_H
#define CHANCERY_CPLATFORM_H

/// Swaps two paths atomically with renameat2(RENAME_EXCHANGE); 0 on success, else -1 with errno set
/// (ENOSYS or EINVAL where the system or file system cannot, so callers fall back to two renames).
int chancery_exchange_paths(const char *first, const char *second);

#endif
