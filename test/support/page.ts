// The reference page's JSON bodies, verbatim: what the tests hold the spec and the client to.
export const PAGE_RESPONSE_EXAMPLE = {
  audit_address: '127.0.0.1',
  audit_port: 12345,
  audit_protocol: 'TCP',
  audit_reconnect_interval: 1,
  audit_reconnect_max_attempts: 0,
} as const;

export const PAGE_REQUEST_EXAMPLE = {
  audit_protocol: 'TCP',
  audit_address: '127.0.0.1',
  audit_port: 12345,
  audit_reconnect_interval: 1,
  audit_reconnect_max_attempts: 0,
} as const;
