import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A load balancer for tests: each HTTP request (and each WebSocket upgrade) goes to the next
 * backend in turn, whatever connection it came on, so one page's requests alternate between
 * instances. Counts what each backend got.
 */
export interface RoundRobin {
  baseUrl: string;
  served: number[];
  close(): Promise<void>;
}

export async function roundRobin(ports: number[]): Promise<RoundRobin> {
  let next = 0;
  const served = ports.map(() => 0);
  const pick = () => {
    const i = next++ % ports.length;
    served[i]! += 1;
    return ports[i]!;
  };
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      { host: '127.0.0.1', port: pick(), method: req.method, path: req.url, headers: req.headers, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });
  const tunnels = new Set<net.Socket>();
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    const upstream = net.connect(pick(), '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    served,
    close: () => new Promise<void>((resolve) => {
      // Upgraded connections are no longer the HTTP server's: end them here, or close() waits for them.
      for (const socket of tunnels) socket.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
