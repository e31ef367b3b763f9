/** Where a process unpacks native libraries (llama.cpp, ONNX runtime), and loading native models one at a time. */
package dev.jerry.kit.natives;
