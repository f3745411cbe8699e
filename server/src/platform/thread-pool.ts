import { availableParallelism } from 'node:os';

/**
 * libuv's thread pool runs every Argon2id hash (and file reads and DNS lookups). Its size is fixed at its
 * first use, so this module is main.ts's first import. Unless the operator set UV_THREADPOOL_SIZE, it
 * gets one thread per core instead of libuv's four: Argon2id streams 19 MiB per hash, and more hashing
 * threads than cores only evict each other's memory. On two cores, two threads verify about 275
 * passwords/s where four manage about 240 (bench/login.ts, "raw" rows).
 */
if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(availableParallelism());
