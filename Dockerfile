# One static binary on a small base image. Build: docker build -t aftershock .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /aftershock ./cmd/aftershock

FROM gcr.io/distroless/static-debian12
COPY --from=build /aftershock /aftershock
ENV AFTERSHOCK_DATA=/data
VOLUME /data
ENTRYPOINT ["/aftershock"]
CMD ["stats"]
