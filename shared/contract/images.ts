import { task, type TaskProgress } from './define';
import { imageLoadRequestSchema, type ImageLoadRequest, type ImageLoadResult } from '../models/images';

/** Local images for kind and k3d clusters. */
export const imagesContract = {
  /**
   * Loads a local Docker image into a cluster's nodes (kind load docker-image / k3d image import)
   * with progress per node. NOT_FOUND when the image is not local or the cluster does not exist;
   * cancelling stops the tool.
   */
  load: task<ImageLoadRequest, TaskProgress, ImageLoadResult>(imageLoadRequestSchema),
} as const;
