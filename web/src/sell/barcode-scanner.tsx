import { useEffect, useRef, useState } from 'react';
import { useLanguage } from '../i18n/language';

// The Shape Detection API is not in TypeScript's DOM types yet.
interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = new (options?: { formats?: string[] }) => BarcodeDetectorLike;

const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;

/** Whether this browser can read barcodes from the camera (Chrome on Android can; most desktops cannot). */
export const canScan = Detector !== undefined && typeof navigator.mediaDevices?.getUserMedia === 'function';

/**
 * Reads one barcode from the back camera and hands it over; the camera stops
 * as soon as a code is read or the scanner closes. Where the browser has no
 * BarcodeDetector the button is not shown and the code is typed instead.
 */
export function BarcodeScanner({ onCode, onClose }: { onCode: (code: string) => void; onClose: () => void }) {
  const { t } = useLanguage();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!Detector) return;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const detector = new Detector({ formats: ['ean_13', 'ean_8', 'upc_a', 'upc_e', 'code_128', 'code_39', 'qr_code'] });
    const tick = async () => {
      if (stopped || !video.current) return;
      try {
        const [code] = await detector.detect(video.current);
        if (code?.rawValue) return onCode(code.rawValue);
      } catch {
        // A frame that is not ready yet: try the next one.
      }
      timer = setTimeout(() => void tick(), 200);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        stream = s;
        if (stopped || !video.current) return;
        video.current.srcObject = s;
        await video.current.play();
        void tick();
      })
      .catch(() => setError(t.scanUnavailable));
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [onCode, t]);

  return (
    <div className="scanner card">
      {error ? <p role="alert">{error}</p> : <video ref={video} muted playsInline aria-label={t.scan} />}
      <button type="button" onClick={onClose}>
        {t.stopScan}
      </button>
    </div>
  );
}
