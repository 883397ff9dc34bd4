// An SMTP sink on 127.0.0.1 for browser tests: accepts every message (the
// client subset of RFC 5321) and keeps it. The Rust tests have a fuller one.
import net from 'node:net';

export async function startSmtpSink() {
  const messages = [];
  const waiters = [];
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    let from = '';
    let to = [];
    let data = [];
    socket.write('220 sink.test ESMTP ready\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let i;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push({ from, to, data: data.join('\r\n') });
            socket.write('250 OK queued\r\n');
            waiters.splice(0).forEach((w) => w());
          } else {
            data.push(line.startsWith('.') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.split(' ')[0].toUpperCase();
        const addr = () => (line.match(/<([^>]*)>/) || [])[1] || '';
        if (verb === 'EHLO') socket.write('250-sink.test\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') { from = addr(); to = []; socket.write('250 OK\r\n'); }
        else if (verb === 'RCPT') { to.push(addr()); socket.write('250 OK\r\n'); }
        else if (verb === 'DATA') { inData = true; data = []; socket.write('354 go ahead\r\n'); }
        else if (verb === 'QUIT') { socket.end('221 Bye\r\n'); }
        else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    messages,
    // Resolves once `n` messages have arrived.
    async waitFor(n) {
      while (messages.length < n) await new Promise((resolve) => waiters.push(resolve));
      return messages;
    },
    close: () => server.close(),
  };
}
