"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";

type Detected = { rawValue: string };
type Detector = { detect(source: HTMLVideoElement): Promise<Detected[]> };
type DetectorClass = (new (options: { formats: string[] }) => Detector) & { getSupportedFormats?: () => Promise<string[]> };

const noSubscription = () => () => {};

const FORMATS = ["qr_code", "ean_13", "ean_8", "code_128", "code_39", "pdf417", "aztec", "data_matrix"];

const nativeDetector = (): DetectorClass | null =>
  typeof window !== "undefined" && "BarcodeDetector" in window ? ((window as unknown as { BarcodeDetector: DetectorClass }).BarcodeDetector ?? null) : null;

/**
 * The browser's own BarcodeDetector when it reads QR codes, else the `barcode-detector` polyfill
 * (zxing-wasm). The polyfill is imported only here, when the camera is opened, so the cashier
 * screen loads none of it otherwise; its WebAssembly comes from our own origin (/api/scanner).
 */
async function loadDetector(): Promise<DetectorClass> {
  const native = nativeDetector();
  if (native) {
    const formats: string[] = (await native.getSupportedFormats?.().catch((): string[] => [])) ?? [];
    if (formats.includes("qr_code")) return native;
  }
  const { BarcodeDetector, setZXingModuleOverrides } = await import("barcode-detector/ponyfill");
  setZXingModuleOverrides({ locateFile: (file: string, prefix: string) => (file.endsWith(".wasm") ? `/api/scanner/${file}` : prefix + file) });
  return BarcodeDetector as unknown as DetectorClass;
}

/**
 * Scans a QR or 1D barcode with the camera: the browser's BarcodeDetector, or the polyfill where it
 * has none. The button shows wherever the browser can open a camera; the scanner and the keyboard
 * still work without one.
 */
export function CameraScan({ onCode }: { onCode: (code: string) => void }) {
  const t = useTranslations("till.screen");
  // Known only in the browser: the server draws no button, the browser one where it has a camera.
  const supported = useSyncExternalStore(
    noSubscription,
    () => !!navigator.mediaDevices?.getUserMedia,
    () => false,
  );
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (!open) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    const stop = () => {
      stopped = true;
      if (timer) clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
    Promise.all([loadDetector(), navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })])
      .then(async ([Detector, s]) => {
        if (stopped) return s.getTracks().forEach((track) => track.stop());
        stream = s;
        if (!video.current) return;
        const detector = new Detector({ formats: FORMATS });
        video.current.srcObject = s;
        await video.current.play();
        timer = setInterval(async () => {
          if (!video.current || stopped) return;
          const found = await detector.detect(video.current).catch(() => []);
          if (found[0]?.rawValue) {
            stop();
            setOpen(false);
            onCode(found[0].rawValue);
          }
        }, 250);
      })
      .catch(() => setError(t("cameraDenied")));
    return stop;
  }, [open, onCode, t]);

  if (!supported) return null;
  return (
    <>
      <Button variant="secondary" onClick={() => (setError(null), setOpen(!open))} data-testid="till-camera">
        {open ? t("cameraClose") : t("camera")}
      </Button>
      {open && (
        <div className="basis-full">
          <video ref={video} muted playsInline className="mx-auto max-h-72 rounded-xl bg-black" />
        </div>
      )}
      {error && (
        <p role="alert" className="basis-full text-sm text-red-700">
          {error}
        </p>
      )}
    </>
  );
}
