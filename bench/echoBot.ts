/**
 * The baseline: a minimal botbuilder echo bot on the assistant's own stack (express 5,
 * express.json, CloudAdapter with ConfigurationBotFrameworkAuthentication({}), one
 * sendActivity per message). The bench compiles this file to JS and runs it as its own process
 * (no ts-node in the measured process). PORT from the environment.
 */
import express from 'express';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new EchoBot();
const app = express();
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/api/messages', express.json({ limit: '256kb' }), (req, res, next) => {
  adapter.process(req, res, (context) => bot.run(context)).catch(next);
});

const port = Number(process.env.PORT ?? 3978);
const server = app.listen(port, '127.0.0.1', (err?: Error) => {
  if (err) {
    process.stderr.write(`echo bot cannot listen on ${port}: ${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`echo bot listening on http://127.0.0.1:${port}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
