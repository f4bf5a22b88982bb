'use client';
// A client component checking a form value in the browser: lean-sdk's
// `browser` build, bundled by Next.js with its .wasm as an asset.
import { useEffect, useState } from 'react';
import { validate } from 'lean-sdk';

export default function Page() {
  const [result, setResult] = useState(null);
  useEffect(() => {
    const problems = validate('createGig', {
      partnerUserId: 'uid_1', totalAmount: '15.5.0', tips: '0.00', expenses: '0.00', description: 'Gig payout',
      gigId: 'gig_1', startTime: '2021-03-01T21:04:04', endTime: '2021-03-01T21:31:05',
    });
    setResult(problems.map((p) => `${p.field} ${p.code}`).join('; '));
  }, []);
  return <output id="result" data-checked={result === null ? 'false' : 'true'}>{result}</output>;
}
