/** Values EC2 responses are built from: objects become child elements, arrays `<item>` lists. */
export type XmlValue = string | number | boolean | null | undefined | readonly XmlValue[] | XmlObject;
export interface XmlObject {
  readonly [element: string]: XmlValue;
}

const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

const escape = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

function render(value: XmlValue): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v: XmlValue) => `<item>${render(v)}</item>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as XmlObject)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([name, v]) => `<${name}>${render(v)}</${name}>`)
      .join('');
  }
  return escape(String(value));
}

/** `<{Action}Response xmlns=…><requestId>…</requestId>…</{Action}Response>` */
export function ec2Response(action: string, requestId: string, body: XmlObject): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}">` +
    `<requestId>${requestId}</requestId>${render(body)}</${action}Response>`
  );
}

/** EC2's error envelope (note `RequestID`, unlike the success responses' `requestId`). */
export function ec2ErrorResponse(code: string, message: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escape(code)}</Code>` +
    `<Message>${escape(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
  );
}
