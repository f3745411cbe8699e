// First, as in Jinku's server: libuv's thread pool gets one thread per core.
import '../server/src/platform/thread-pool.ts';
import { createServer } from 'node:http';
import Fastify from 'fastify';
import { type HashParams, hashSecret, verifySecret } from '../server/src/platform/secret-hash.ts';

/**
 * The server side of bench/login.ts's ceiling: nothing of Jinku but its hashing (platform/secret-hash.ts,
 * the same thread pool and queue). Two bare servers answer a sign-in's JSON body with one Argon2id
 * verification each: Fastify with no plugins or hooks on one port, Node's own `http` module with no
 * framework at all on another. What they lose against raw hashing is what merely answering HTTP
 * beside the hashes costs on this machine, before any database, session or audit.
 */
const params: HashParams = {
  argon2MemoryKib: 19 * 1024,
  argon2TimeCost: 2,
  argon2Parallelism: 1,
  argon2Concurrency: Number(process.env.CEILING_ARGON2_CONCURRENCY),
};
const encoded = await hashSecret(params, 'Jinku2026');
const answer = async (password: unknown) =>
  (await verifySecret(params, encoded, String(password))) ? { state: 'authenticated' } : { state: 'refused' };

const fastify = Fastify();
fastify.post('/login', async (request) => answer((request.body as { password?: unknown }).password));
await fastify.listen({ host: '127.0.0.1', port: 0 });

const bare = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { password?: unknown };
    const json = JSON.stringify(await answer(body.password));
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    response.end(json);
  });
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));

const portOf = (address: ReturnType<typeof bare.address>) =>
  typeof address === 'object' && address ? address.port : 0;
console.log(`listening fastify=${portOf(fastify.server.address())} node=${portOf(bare.address())}`);
