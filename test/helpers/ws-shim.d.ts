// `ws` is installed with @larksuiteoapi/node-sdk but ships no types and @types/ws is not a
// dependency; the fake Lark server only needs its WebSocketServer.
declare module 'ws' {
  export const WebSocketServer: any;
}
