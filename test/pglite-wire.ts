// A PostgreSQL wire endpoint over an in-memory PGlite, for tests that need a real `pg` connection
// on a machine without a PostgreSQL server.
//
// Why not @electric-sql/pglite-socket: its releases pin an exact PGlite version as a peer (0.2.17
// wants 0.5.14, we run 0.5.16), so `npm install` fails without overrides, and it also pulls seven
// non-optional extension packages (pgvector, age, …) we would never load. What it does for us is
// small: split the byte stream into protocol messages and hand each to PGlite's own protocol
// handler (`execProtocolRawStream`), which already speaks the startup, simple and extended query
// protocols. That is this file.
import { createServer, type Server, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/** A running endpoint: connect to `url` with any PostgreSQL client; `close` stops it and the database. */
export type PgliteWire = { url: string; db: PGlite; close(): Promise<void> };

/**
 * Starts an in-memory PGlite listening on 127.0.0.1 (a free port). Connections take turns; one
 * with an open transaction keeps the session until it ends, and its transaction is rolled back
 * when it disconnects, so one client's crash cannot wedge the next.
 */
export async function startPgliteWire(): Promise<PgliteWire> {
  const db = await PGlite.create();
  const sockets = new Set<Socket>();
  // PGlite runs one session: messages of all connections go through this one queue, in order.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };
  // The connection whose transaction is open: the one session is its until COMMIT or ROLLBACK,
  // so other connections wait rather than run inside it.
  let owner: Socket | null = null;
  let ownerDone: Promise<void> = Promise.resolve();
  let releaseOwner = () => {};
  const updateOwner = (socket: Socket) => {
    if (db.isInTransaction() && owner === null) {
      owner = socket;
      ownerDone = new Promise((resolve) => {
        releaseOwner = resolve;
      });
    } else if (!db.isInTransaction() && owner === socket) {
      owner = null;
      releaseOwner();
    }
  };

  const serve = (socket: Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let started = false;
    let pending: Promise<void> = Promise.resolve();
    // Messages up to a Sync, Query or Flush form one unit: sent under one lock, so another
    // connection's extended-protocol messages cannot land between a Parse and its Execute.
    let unit: Buffer[] = [];
    const handle = async () => {
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          if (code === SSL_REQUEST) {
            socket.write('N'); // no TLS here; the client goes on in plain text
            buffer = buffer.subarray(8);
            continue;
          }
          if (code === CANCEL_REQUEST) {
            socket.end();
            return;
          }
          if (code !== PROTOCOL_3 || buffer.length < length) return;
          const message = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          started = true;
          await send([message]);
          continue;
        }
        if (buffer.length < 5) return;
        const length = 1 + buffer.readInt32BE(1);
        if (buffer.length < length) return;
        const message = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        const type = message[0];
        if (type === 0x58 /* X: Terminate */) {
          socket.end();
          return;
        }
        unit.push(message);
        if (type === 0x53 /* S: Sync */ || type === 0x51 /* Q: Query */ || type === 0x48 /* H: Flush */) {
          const messages = unit;
          unit = [];
          await send(messages);
        }
      }
    };
    const send = async (messages: Buffer[]) => {
      for (;;) {
        const ran = await exclusive(async () => {
          if (owner !== null && owner !== socket) return false;
          for (const message of messages) {
            await db.execProtocolRawStream(new Uint8Array(message), {
              onRawData: (data) => {
                if (data.length && socket.writable) socket.write(Buffer.from(data));
              },
            });
          }
          updateOwner(socket);
          return true;
        });
        if (ran) return;
        await ownerDone;
      }
    };
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      pending = pending.then(handle).catch(() => {
        socket.destroy();
      });
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      void exclusive(async () => {
        // A client gone mid-transaction: roll its work back and let the others in.
        if (owner === socket) {
          if (db.isInTransaction()) await db.exec('ROLLBACK');
          owner = null;
          releaseOwner();
        }
      }).catch(() => undefined);
    });
  };

  const server: Server = createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('pglite wire: no address');
  return {
    url: `postgres://postgres@127.0.0.1:${address.port}/postgres`,
    db,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
      await db.close();
    },
  };
}
