/**
 * Request limits with nginx 1.22's meaning: {@code limit_req} (a leaky bucket per key, counted
 * in milli-requests, as ngx_http_limit_req_module) and {@code limit_conn} (requests in progress
 * per key, as ngx_http_limit_conn_module). The zones hold the per-key state, bounded by the
 * zone's size as nginx's slab would bound it. Counting only: no HTTP server type reaches here
 * (the listener applies the verdicts); time is passed in.
 */
package corral.proxy.limit;
