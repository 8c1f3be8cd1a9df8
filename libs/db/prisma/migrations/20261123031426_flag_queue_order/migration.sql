-- AlterTable
ALTER TABLE "flag" ADD COLUMN     "severity_rank" SMALLINT NOT NULL DEFAULT 3;

-- CreateIndex
CREATE INDEX "flag_queue_order" ON "flag"("severity_rank", "score" DESC, "id");

-- CreateIndex
CREATE INDEX "flag_queue_order_by_status" ON "flag"("status", "severity_rank", "score" DESC, "id");

-- CreateIndex
CREATE INDEX "violation_camera_id_detected_at_idx" ON "violation"("camera_id", "detected_at");

-- CreateIndex
CREATE INDEX "violation_district_detected_at_idx" ON "violation"("district", "detected_at");

-- The rank follows the severity on every write, so no writer can forget it.
CREATE FUNCTION flag_severity_rank() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.severity_rank := CASE NEW.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END;
  RETURN NEW;
END;
$$;

CREATE TRIGGER flag_severity_rank
  BEFORE INSERT OR UPDATE OF severity ON flag
  FOR EACH ROW EXECUTE FUNCTION flag_severity_rank();

UPDATE flag SET severity_rank = CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END;
