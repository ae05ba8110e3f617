/**
 * Objects for live-state tests: GPU nodes, a GPU pod, a bound PV + PVC, a Job, an HPA. Applied
 * to real API servers; kwok turns pods on its nodes Running and completes Job pods.
 */
export function gpuNode(name: string, gpus: number, product = 'NVIDIA-H100-80GB-HBM3'): string {
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    type: kwok
    kubernetes.io/hostname: ${name}
    kubernetes.io/os: linux
    nvidia.com/gpu.present: "true"
    nvidia.com/gpu.product: ${product}
    nvidia.com/gpu.memory: "81559"
spec: {}
status:
  capacity: { cpu: "96", memory: 1Ti, pods: "110", nvidia.com/gpu: "${gpus}" }
  allocatable: { cpu: "96", memory: 1Ti, pods: "110", nvidia.com/gpu: "${gpus}" }
  nodeInfo: { kubeletVersion: v1.34.4, operatingSystem: linux, architecture: amd64 }
`;
}

export function cpuNode(name: string): string {
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  annotations: { kwok.x-k8s.io/node: fake }
  labels: { type: kwok, kubernetes.io/hostname: ${name} }
spec: {}
status:
  capacity: { cpu: "8", memory: 32Gi, pods: "110" }
  allocatable: { cpu: "8", memory: 32Gi, pods: "110" }
`;
}

export function gpuPod(name: string, node: string, gpus: number, namespace = 'default'): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  nodeName: ${node}
  containers:
  - name: trainer
    image: nvcr.io/nvidia/pytorch:24.01-py3
    resources:
      limits: { nvidia.com/gpu: "${gpus}" }
      requests: { cpu: "4", memory: 16Gi }
`;
}

/** A PV and a PVC that the PV controller binds (static provisioning, no provisioner needed). */
export function boundClaim(name: string, namespace = 'default'): string {
  return `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: manual
provisioner: kubernetes.io/no-provisioner
reclaimPolicy: Retain
volumeBindingMode: Immediate
allowVolumeExpansion: true
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: ${name}-pv }
spec:
  capacity: { storage: 50Gi }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: manual
  hostPath: { path: /data/${name} }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  resources: { requests: { storage: 50Gi } }
`;
}

export function trainingJob(name: string, gpus: number, namespace = 'default'): string {
  return `apiVersion: batch/v1
kind: Job
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: train
        image: nvcr.io/nvidia/pytorch:24.01-py3
        command: [python, train.py]
        resources: { limits: { nvidia.com/gpu: "${gpus}" } }
`;
}

export function deploymentWithHpa(name: string, replicas: number, namespace = 'default'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
      - name: server
        image: vllm/vllm-openai:v0.6.0
        resources: { requests: { cpu: 500m, memory: 1Gi } }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${name} }
  minReplicas: 1
  maxReplicas: 6
  metrics:
  - type: Resource
    resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }
`;
}

/** Pods are refused until the service-account controller has made `default` in the namespace. */
export async function waitForServiceAccount(cluster: { kubectl(args: string[]): Promise<string> }, namespace = 'default', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await cluster.kubectl(['get', 'serviceaccount', 'default', '-n', namespace, '-o', 'name']);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
