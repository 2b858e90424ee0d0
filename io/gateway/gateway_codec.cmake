# The gateway codec: pure functions from ZMQ frames to typed requests and from
# results to events, with no sockets, clocks or models. One list for the
# parley_gateway_codec library (io/CMakeLists.txt) and for the fuzzer
# (fuzz/CMakeLists.txt), relative to the checkout.
set(PARLEY_GATEWAY_CODEC_SOURCES
  io/gateway/gateway_protocol.cpp
  io/gateway/gateway_events.cpp
  io/gateway/gateway_audio_events.cpp
  io/gateway/gateway_voice_events.cpp
  io/gateway/gateway_names.cpp
  io/gateway/gateway_schema.cpp
  io/gateway/translation_reader.cpp
  io/encoding/base64.cpp
  io/encoding/json_writer.cpp
  io/encoding/json_depth.cpp)
