# One static binary on a small, non-root base image.
#   docker build -t aftershock .
#   docker compose up        (see docker-compose.yml)
FROM golang:1.27 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/aftershock ./cmd/aftershock \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/aftershock /aftershock
# The data directory belongs to the image's non-root user (65532), so a new
# volume mounted here is writable by it.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV AFTERSHOCK_DATA=/data
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD ["/aftershock", "probe", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/aftershock"]
# Inside the container the server listens on all interfaces, so it needs a
# password: AFTERSHOCK_PASSWORD or AFTERSHOCK_PASSWORD_FILE.
CMD ["serve", "--addr", "0.0.0.0:8080"]
