import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import { type WebSocket, WebSocketServer } from 'ws'
import type { Connection } from './context.js'
import type { Dispatcher } from './dispatch.js'
import { RpcErrorCode } from './errors.js'

export type RpcServerOptions = {
  host: string
  port: number
  /** max HTTP body / WS message size in bytes (geth: 5 MiB) */
  maxBodyBytes: number
  /** Access-Control-Allow-Origin; '*' by default as geth --http.corsdomain '*' */
  corsOrigin: string
  /** extra plain-HTTP routes (GET): /healthz, /readyz, /metrics */
  routes?: Record<string, () => Promise<{ status: number; type: string; body: string }>>
}

/**
 * JSON-RPC over HTTP (POST /) and WebSocket (upgrade on the same port), as geth serves with --http and --ws on one
 * port. Each request is independent: a bad one gets its error and nothing else is affected.
 */
export class RpcServer {
  private readonly http: Server
  private readonly wss: WebSocketServer
  private nextConnectionId = 1

  private constructor(
    private readonly dispatcher: Dispatcher,
    private readonly options: RpcServerOptions,
    private readonly log: Logger,
  ) {
    this.http = createServer((req, res) => void this.handleHttp(req, res))
    this.wss = new WebSocketServer({ server: this.http, maxPayload: options.maxBodyBytes })
    this.wss.on('connection', (socket) => this.handleSocket(socket))
  }

  static async start(dispatcher: Dispatcher, options: RpcServerOptions, log: Logger): Promise<RpcServer> {
    const server = new RpcServer(dispatcher, options, log)
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', reject)
      server.http.listen(options.port, options.host, () => resolve())
    })
    return server
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port
  }

  get url(): string {
    return `http://${this.options.host}:${this.port}`
  }

  get wsUrl(): string {
    return `ws://${this.options.host}:${this.port}`
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate()
    await new Promise<void>((resolve) => this.wss.close(() => resolve()))
    this.http.closeAllConnections()
    await new Promise<void>((resolve) => this.http.close(() => resolve()))
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Access-Control-Allow-Origin', this.options.corsOrigin)
    res.setHeader('Access-Control-Allow-Methods', 'POST, GET, OPTIONS')
    res.setHeader('Access-Control-Allow-Headers', 'content-type')
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const route = this.options.routes?.[path]
    if (req.method === 'GET' && route) {
      try {
        const reply = await route()
        res.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body)
      } catch (error) {
        this.log.error({ err: error, path }, 'route failed')
        res.writeHead(500).end()
      }
      return
    }
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST, GET, OPTIONS' }).end()
    const body = await readBody(req, this.options.maxBodyBytes)
    if (body === undefined) {
      // geth answers 413 for an oversize body; a JSON-RPC error body lets clients show the reason
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' })
      res.end(
        JSON.stringify(
          error(RpcErrorCode.invalidRequest, `request body too large (limit ${this.options.maxBodyBytes} bytes)`),
        ),
      )
      return
    }
    const reply = await this.dispatcher.handleText(body)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(reply === undefined ? '' : JSON.stringify(reply))
  }

  private handleSocket(socket: WebSocket): void {
    const closeListeners: (() => void)[] = []
    const connection: Connection = {
      id: this.nextConnectionId++,
      send: (message) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message))
      },
      onClose: (listener) => closeListeners.push(listener),
    }
    socket.on('message', (data) => {
      void this.dispatcher.handleText(data.toString(), connection).then((reply) => {
        if (reply !== undefined) connection.send(reply)
      })
    })
    socket.on('close', () => {
      for (const listener of closeListeners) listener()
    })
    // an oversize frame closes the socket (ws maxPayload, code 1009); log it, the server keeps serving
    socket.on('error', (err) => this.log.debug({ err }, 'websocket error'))
  }
}

const error = (code: number, message: string) => ({ jsonrpc: '2.0', id: null, error: { code, message } })

/** Reads the body up to `limit` bytes; undefined when it is larger (the rest is drained, not buffered). */
async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) {
    req.resume()
    return undefined
  }
  const chunks: Buffer[] = []
  let size = 0
  let tooLarge = false
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) tooLarge = true
    if (!tooLarge) chunks.push(chunk as Buffer)
  }
  return tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')
}
